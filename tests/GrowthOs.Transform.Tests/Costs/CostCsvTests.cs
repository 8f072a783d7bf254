using GrowthOs.Transform.Costs;

namespace GrowthOs.Transform.Tests;

/// <summary>A CSV of unit costs as a spreadsheet exports it, read whole, every bad line named.</summary>
public sealed class CostCsvTests
{
    [Fact]
    public void Costs_are_read_by_variant_id_or_sku_quoted_or_not_in_minor_units_of_the_shops_currency()
    {
        var (rows, problems) = CostCsv.Read(
            "\uFEFFSKU,Variant_ID,Unit_Cost,Effective_From\r\n"
            + "CLA-014-S,,3.50,2026-03-01\r\n"
            + ",gid://shopify/ProductVariant/40000034,\"1204.5\",2026-03-02\r\n"
            + "\r\n"
            + "\"STRAP \"\"XL\"\"\",40000035,0.125,2026-03-03\r\n",
            "USD");

        Assert.Empty(problems);
        Assert.Equal(3, rows.Count);
        Assert.Equal((2, (long?)null, "CLA-014-S", 350L, new DateOnly(2026, 3, 1)), rows[0]);
        Assert.Equal((3, (long?)40000034, (string?)null, 120450L, new DateOnly(2026, 3, 2)), rows[1]);
        Assert.Equal((5, (long?)40000035, "STRAP \"XL\"", 13L, new DateOnly(2026, 3, 3)), rows[2]);
    }

    [Fact]
    public void Every_bad_line_is_named_with_what_is_wrong()
    {
        var (rows, problems) = CostCsv.Read(
            "variant_id,unit_cost,effective_from\n"
            + "40000034,3.50,2026-03-01\n"
            + "forty,3.50,2026-03-01\n"
            + "40000035,-1,2026-03-01\n"
            + "40000036,2.00,1 March\n"
            + ",2.00,2026-03-01\n",
            "JPY");

        Assert.Single(rows);
        Assert.Equal(
            [
                "line 3: variant_id 'forty' is not a variant's id.",
                "line 4: unit_cost '-1' is not an amount of JPY of zero or more.",
                "line 5: effective_from '1 March' is not a date (YYYY-MM-DD) from 2000 to 2100.",
                "line 6: give the variant's variant_id or its sku.",
            ],
            problems);
        Assert.Equal(4L, rows[0].UnitCostMinor); // 3.50 JPY, rounded to the yen
        Assert.Equal("line 1: the header must name variant_id or sku, unit_cost and effective_from.",
            Assert.Single(CostCsv.Read("id,cost\n1,2\n", "USD").Problems));
        Assert.Equal("the file holds no cost: a header, then a cost a row.", Assert.Single(CostCsv.Read("sku,unit_cost,effective_from\n", "USD").Problems));
    }
}
