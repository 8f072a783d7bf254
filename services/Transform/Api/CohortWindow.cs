namespace GrowthOs.Transform.Api;

/// <summary>
/// A cohort's cumulative net revenue and gross profit per customer over the first <see cref="Days"/> days from each
/// customer's first order (that day counted as the first), minor units; null until every member's window has ended.
/// </summary>
public sealed record CohortWindow(int Days, long? RevenuePerCustomerMinor, long? GrossProfitPerCustomerMinor);
