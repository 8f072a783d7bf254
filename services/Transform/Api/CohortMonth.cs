namespace GrowthOs.Transform.Api;

/// <summary>
/// A cohort's cumulative net revenue and gross profit per customer by the end of its <see cref="Index"/>-th month (0 is
/// the month of the first order), minor units; null while that month has not ended.
/// </summary>
public sealed record CohortMonth(int Index, long? RevenuePerCustomerMinor, long? GrossProfitPerCustomerMinor);
