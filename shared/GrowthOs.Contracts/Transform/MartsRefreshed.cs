namespace GrowthOs.Contracts.Transform;

public record MartsRefreshed(
    Guid RunId,
    string ShopDomain,
    int DaysRefreshed);
