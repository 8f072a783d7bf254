namespace GrowthOs.Sandbox.Shopify.GraphQl;

/// <summary>A bulk query Shopify would refuse: the messages of the <c>userErrors</c> entries it answers with.</summary>
public sealed class BulkQueryException(IReadOnlyList<string> messages) : Exception(messages[0])
{
    public BulkQueryException(string message) : this([message]) { }

    public IReadOnlyList<string> Messages { get; } = messages;
}
