namespace GrowthOs.Transform.Loading;

/// <summary>
/// Schedules the upserts of a file's chunks. Up to <paramref name="maxInFlight"/> run at once, each on its own
/// connection, and each is handed the upsert of the chunk before it, to commit only after that one: what is committed is
/// always a prefix of the file. A chunk starts alongside those in flight only when it shares no key with them; otherwise
/// an earlier chunk could wait on a row the later holds while the later waits for the earlier to commit. A finished
/// chunk is emptied and handed back to be filled again, so memory holds at most <c>maxInFlight + 1</c> chunks.
/// </summary>
public sealed class ChunkScheduler<TChunk>(int maxInFlight) where TChunk : class, IChunk, new()
{
    private readonly Queue<(TChunk Records, HashSet<long> Ids, Task Upserted)> _inFlight = new();
    private readonly Stack<TChunk> _spares = new();

    /// <summary>Chunks whose upsert has started and not been awaited yet.</summary>
    public int InFlight => _inFlight.Count;

    /// <summary>
    /// Waits for room and for every chunk in flight that shares a key with <paramref name="chunk"/>, then starts
    /// <paramref name="upsert"/> of it with the upsert of the chunk before (a completed task when none is in flight).
    /// Returns an empty chunk to fill next. A failure of a chunk awaited here is thrown here.
    /// </summary>
    public async Task<TChunk> Start(TChunk chunk, Func<TChunk, Task, Task> upsert)
    {
        while (_inFlight.Count >= maxInFlight || _inFlight.Any(running => chunk.HoldsAnyOf(running.Ids)))
            _spares.Push(await Finish(_inFlight.Dequeue()));
        var before = _inFlight.Count > 0 ? _inFlight.Last().Upserted : Task.CompletedTask;
        var ids = chunk.Ids();
        _inFlight.Enqueue((chunk, ids, upsert(chunk, before)));
        return _spares.Count > 0 ? _spares.Pop() : new TChunk();
    }

    /// <summary>Waits for every chunk in flight, in order; throws the first failure.</summary>
    public async Task Drain()
    {
        while (_inFlight.Count > 0) _spares.Push(await Finish(_inFlight.Dequeue()));
    }

    /// <summary>After a failure: lets every chunk in flight commit or fail on its own, and throws none of theirs.</summary>
    public async Task Settle()
    {
        while (_inFlight.Count > 0)
            try { await _inFlight.Dequeue().Upserted; } catch { /* the failure being handled is the one reported */ }
    }

    private static async Task<TChunk> Finish((TChunk Records, HashSet<long> Ids, Task Upserted) upsert)
    {
        await upsert.Upserted;
        upsert.Records.Clear();
        return upsert.Records;
    }
}
