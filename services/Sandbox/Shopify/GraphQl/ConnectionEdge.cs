namespace GrowthOs.Sandbox.Shopify.GraphQl;

public sealed record ConnectionEdge(string Cursor, object Node);
