using GrowthOs.Transform.Loading;

namespace GrowthOs.Transform.Tests.Loading;

/// <summary>The order and overlap rules of chunk upserts, without a database: each upsert is a task the test completes.</summary>
public sealed class ChunkSchedulerTests
{
    private sealed class Chunk : IChunk
    {
        public HashSet<long> Keys { get; } = [];
        public bool Cleared { get; private set; }
        public HashSet<long> Ids() => [.. Keys];
        public bool HoldsAnyOf(HashSet<long> ids) => Keys.Overlaps(ids);
        public void Clear() { Keys.Clear(); Cleared = true; }
    }

    private static Chunk Of(params long[] keys)
    {
        var chunk = new Chunk();
        chunk.Keys.UnionWith(keys);
        return chunk;
    }

    /// <summary>Upserts that run until the test lets them finish, each recording the upsert it was handed as the one before.</summary>
    private sealed class Upserts
    {
        public List<(Chunk Chunk, Task Before, TaskCompletionSource Done)> Started { get; } = [];

        public Task Upsert(Chunk chunk, Task before)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Started.Add((chunk, before, done));
            return done.Task;
        }
    }

    [Fact]
    public async Task Two_chunks_run_at_once_and_each_is_handed_the_upsert_before_it()
    {
        var upserts = new Upserts();
        var scheduler = new ChunkScheduler<Chunk>(maxInFlight: 2);

        await scheduler.Start(Of(1), upserts.Upsert);
        await scheduler.Start(Of(2), upserts.Upsert);

        Assert.Equal(2, upserts.Started.Count);
        Assert.True(upserts.Started[0].Before.IsCompletedSuccessfully);
        Assert.Same(upserts.Started[0].Done.Task, upserts.Started[1].Before);

        // A third waits for room: it starts only once the first has finished.
        var third = scheduler.Start(Of(3), upserts.Upsert);
        Assert.False(third.IsCompleted);
        Assert.Equal(2, upserts.Started.Count);
        upserts.Started[0].Done.SetResult();
        var next = await third;

        Assert.Equal(3, upserts.Started.Count);
        Assert.Same(upserts.Started[1].Done.Task, upserts.Started[2].Before);
        Assert.Equal(2, scheduler.InFlight);
        // The finished chunk is emptied and handed back to be filled again.
        Assert.Same(upserts.Started[0].Chunk, next);
        Assert.True(next.Cleared);
    }

    [Fact]
    public async Task A_chunk_that_shares_a_key_with_one_in_flight_starts_only_after_it()
    {
        var upserts = new Upserts();
        var scheduler = new ChunkScheduler<Chunk>(maxInFlight: 2);
        await scheduler.Start(Of(1, 2), upserts.Upsert);

        var overlapping = scheduler.Start(Of(2, 3), upserts.Upsert);

        Assert.False(overlapping.IsCompleted);
        Assert.Single(upserts.Started);
        upserts.Started[0].Done.SetResult();
        await overlapping;
        Assert.Equal(2, upserts.Started.Count);
        Assert.True(upserts.Started[1].Before.IsCompletedSuccessfully);
        Assert.Equal(1, scheduler.InFlight);
    }

    [Fact]
    public async Task The_keys_are_taken_before_the_upsert_begins()
    {
        var scheduler = new ChunkScheduler<Chunk>(maxInFlight: 2);
        var running = new TaskCompletionSource();
        // The upsert reorders (here: empties) its chunk as it begins; the next chunk must still see its keys.
        await scheduler.Start(Of(7), (chunk, _) => { chunk.Keys.Clear(); return running.Task; });

        var overlapping = scheduler.Start(Of(7), (_, _) => Task.CompletedTask);

        Assert.False(overlapping.IsCompleted);
        running.SetResult();
        await overlapping;
    }

    [Fact]
    public async Task Drain_waits_for_every_chunk_and_throws_the_first_failure()
    {
        var upserts = new Upserts();
        var scheduler = new ChunkScheduler<Chunk>(maxInFlight: 2);
        await scheduler.Start(Of(1), upserts.Upsert);
        await scheduler.Start(Of(2), upserts.Upsert);

        var drained = scheduler.Drain();
        upserts.Started[0].Done.SetException(new InvalidOperationException("first chunk failed"));
        upserts.Started[1].Done.SetException(new InvalidOperationException("second chunk failed"));

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => drained);
        Assert.Equal("first chunk failed", failure.Message);
    }

    [Fact]
    public async Task Settle_lets_every_chunk_end_and_throws_none_of_their_failures()
    {
        var upserts = new Upserts();
        var scheduler = new ChunkScheduler<Chunk>(maxInFlight: 2);
        await scheduler.Start(Of(1), upserts.Upsert);
        await scheduler.Start(Of(2), upserts.Upsert);

        var settled = scheduler.Settle();
        Assert.False(settled.IsCompleted);
        upserts.Started[0].Done.SetException(new InvalidOperationException("failed"));
        Assert.False(settled.IsCompleted);
        upserts.Started[1].Done.SetResult();

        await settled;
        Assert.Equal(0, scheduler.InFlight);
    }
}
