namespace GrowthOs.Sandbox.Shopify.GraphQl;

/// <summary>A page of a connection outside bulk queries: its items with their cursors, and where it sits in the whole.</summary>
public sealed record ConnectionPage(IReadOnlyList<ConnectionEdge> Edges, bool HasNextPage, bool HasPreviousPage);
