using GrowthOs.Contracts.Transform;
using MassTransit;

namespace GrowthOs.Transform.Orders;

/// <summary>
/// Tells a run how far its load is without ever holding the load up: each committed chunk replaces the latest report,
/// and one publish at a time, apart from the load, sends the newest one. A broker that does not answer costs the load
/// nothing (the publish is left to finish or fail on its own, never cancelled half-way); the reports it missed are
/// overtaken by the next, and the load's end is answered by <see cref="ArchivedRecordsUpserted"/>.
/// </summary>
public sealed class LoadProgressReporter(IPublishEndpoint bus, UpsertArchivedRecords load, ILogger logger) : IDisposable
{
    private readonly Lock _gate = new();
    private bool _stopped;
    private UpsertProgress? _latest;
    private Task _sending = Task.CompletedTask;

    public Task Report(UpsertProgress committed)
    {
        lock (_gate)
        {
            _latest = committed;
            if (_sending.IsCompleted && !_stopped) _sending = Task.Run(SendLatest);
        }
        return Task.CompletedTask;
    }

    private async Task SendLatest()
    {
        while (true)
        {
            UpsertProgress? progress;
            lock (_gate)
            {
                (progress, _latest) = (_latest, null);
                if (progress is null || _stopped) return;
            }
            try
            {
                await bus.Publish(new ArchivedRecordsUpsertProgressed(load.RunId, load.ShopDomain, load.Entity, load.ArchiveKey, progress.LinesCommitted, progress.Records));
            }
            catch (Exception exception)
            {
                logger.LogWarning("The progress of {ArchiveKey} after line {LinesCommitted} was not reported: {Error}", load.ArchiveKey, progress.LinesCommitted, exception.Message);
            }
        }
    }

    /// <summary>Sends nothing more: the load is over and its answer says the rest.</summary>
    public void Dispose()
    {
        lock (_gate) _stopped = true;
    }
}
