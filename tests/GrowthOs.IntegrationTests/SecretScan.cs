using System.Text.RegularExpressions;

namespace GrowthOs.IntegrationTests;

/// <summary>Finds secrets and e-mail addresses in what a system wrote: its logs, its telemetry files, its error answers.</summary>
public static partial class SecretScan
{
    /// <summary>An e-mail address as people write them (a dotted domain ending in letters; <c>guest@127.0.0.1</c> is not one).</summary>
    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")]
    private static partial Regex EmailAddress();

    /// <summary>Each finding: where, what kind, and a little context, with the secret itself cut to its first characters.</summary>
    public static List<string> Findings(IEnumerable<(string Source, string Text)> written, IEnumerable<string> secrets)
    {
        var findings = new List<string>();
        var secretList = secrets.ToList();
        foreach (var (source, text) in written)
        {
            foreach (var secret in secretList)
                for (var at = text.IndexOf(secret, StringComparison.Ordinal); at >= 0; at = text.IndexOf(secret, at + secret.Length, StringComparison.Ordinal))
                    findings.Add($"{source}: the secret {secret[..6]}… at {at}: "
                        + $"…{Context(text, at, secret.Length).Replace(secret, secret[..6] + "…", StringComparison.Ordinal)}…");
            foreach (Match match in EmailAddress().Matches(text))
                findings.Add($"{source}: an e-mail address at {match.Index}: …{Context(text, match.Index, match.Length)}…");
        }
        return findings;
    }

    private static string Context(string text, int at, int length)
    {
        var start = Math.Max(0, at - 60);
        return text[start..Math.Min(text.Length, at + length + 60)].ReplaceLineEndings(" ");
    }
}

/// <summary>Keeps the body of every answer of 400 or above, read without consuming it for the caller.</summary>
public sealed class ErrorBodyRecorder(System.Collections.Concurrent.ConcurrentQueue<string> bodies) : DelegatingHandler(new SocketsHttpHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if ((int)response.StatusCode >= 400)
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            bodies.Enqueue($"{(int)response.StatusCode} {request.Method} {request.RequestUri?.AbsolutePath}: "
                + $"{await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
        return response;
    }
}
