using System.Diagnostics;

namespace GrowthOs.Connector.Telemetry;

/// <summary>
/// One call of a provider's API, timed from its send. An answer, whatever its status, is the caller's to read and to
/// journal. No answer (the network failed, or the client's own timeout passed; not the caller's cancellation) is
/// journaled without a status, and the caller's exception for it is thrown in its place: every source says the same
/// thing the same way about a provider that did not answer.
/// </summary>
public static class ProviderCall
{
    /// <param name="send">The send itself.</param>
    /// <param name="journal">The source and endpoint the call is journaled under; null for a call not journaled.</param>
    /// <param name="clock">The clock the journal reads.</param>
    /// <param name="unanswered">The exception to throw when no answer came (it may log first).</param>
    public static async Task<(HttpResponseMessage Response, Stopwatch Stopwatch)> Send(Func<CancellationToken, Task<HttpResponseMessage>> send,
        (string Source, string Endpoint)? journal, TimeProvider clock, Func<Exception, TimeSpan, Exception> unanswered,
        CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            return (await send(cancellationToken), stopwatch);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            if (journal is var (source, endpoint)) ApiCallJournal.Record(source, endpoint, clock.GetUtcNow(), stopwatch.Elapsed, status: null);
            throw unanswered(exception, stopwatch.Elapsed);
        }
    }
}
