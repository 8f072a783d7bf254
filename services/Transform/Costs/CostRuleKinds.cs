namespace GrowthOs.Transform.Costs;

/// <summary>The kinds of a shop's cost rules (<c>transform.cost_rule</c>) and what each takes.</summary>
public static class CostRuleKinds
{
    public const string ShippingPerOrder = "shipping_per_order";
    public const string ShippingPerUnit = "shipping_per_unit";
    public const string ShippingRevenueShare = "shipping_revenue_share";
    public const string PaymentFee = "payment_fee";
    public const string FixedMonthly = "fixed_monthly";

    public static readonly IReadOnlyList<string> All = [ShippingPerOrder, ShippingPerUnit, ShippingRevenueShare, PaymentFee, FixedMonthly];

    /// <summary>Why a rule of <paramref name="kind"/> with these values is not one, naming the field; null when it is.</summary>
    public static (string Field, string Detail)? Problem(string kind, long amountMinor, decimal rate) => kind switch
    {
        ShippingPerOrder or ShippingPerUnit or FixedMonthly when amountMinor <= 0 =>
            ("amount_minor", $"A {kind} rule takes amount_minor, above zero (minor units of the shop's currency)."),
        ShippingPerOrder or ShippingPerUnit or FixedMonthly when rate != 0 => ("rate", $"A {kind} rule takes no rate."),
        ShippingRevenueShare when rate <= 0 => ("rate", "A shipping_revenue_share rule takes rate, the share of revenue (0.05 is 5 %)."),
        ShippingRevenueShare when amountMinor != 0 => ("amount_minor", "A shipping_revenue_share rule takes no amount_minor."),
        PaymentFee when amountMinor <= 0 && rate <= 0 =>
            ("rate", "A payment_fee rule takes a rate (0.029 is 2.9 %), an amount_minor per order, or both."),
        _ => null,
    };
}
