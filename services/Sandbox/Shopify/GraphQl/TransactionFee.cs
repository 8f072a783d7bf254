using GrowthOs.Sandbox.DemoData;

namespace GrowthOs.Sandbox.Shopify.GraphQl;

public sealed record TransactionFee(DemoOrder Order, DemoTransactionFee Fee);
