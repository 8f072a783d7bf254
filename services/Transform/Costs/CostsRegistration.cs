namespace GrowthOs.Transform.Costs;

public static class CostsRegistration
{
    /// <summary>
    /// Product costs: their history as Shopify gives them and the operators' overrides (<see cref="VariantCosts"/>), and
    /// the shops' cost rules (<see cref="CostRules"/>).
    /// </summary>
    public static WebApplicationBuilder AddCosts(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<VariantCosts>();
        builder.Services.AddSingleton<CostRules>();
        return builder;
    }
}
