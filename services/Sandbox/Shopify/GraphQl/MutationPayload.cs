namespace GrowthOs.Sandbox.Shopify.GraphQl;

/// <summary>The payload of a mutation: the object it made or changed (if any) and its user errors.</summary>
public sealed record MutationPayload(object? Subject, IReadOnlyList<UserErrorValue> UserErrors)
{
    public static MutationPayload Refused(UserErrorValue error) => new(null, [error]);
}
