namespace GrowthOs.Transform.Loading;

/// <summary>A chunk of records the scheduler can compare by key and reuse.</summary>
public interface IChunk
{
    /// <summary>The ids of the chunk's records, taken before its upsert begins (which may reorder it).</summary>
    HashSet<long> Ids();

    /// <summary>Whether the chunk holds a record with one of <paramref name="ids"/>.</summary>
    bool HoldsAnyOf(HashSet<long> ids);

    /// <summary>Empties the chunk for reuse.</summary>
    void Clear();
}
