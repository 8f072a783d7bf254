using System.Globalization;
using GrowthOs.KpiAlert.Kpis;

namespace GrowthOs.KpiAlert.Alerts;

/// <summary>
/// The alert rules on the trailing 7 days against the 7 before, each a pure function of <see cref="AlertInputs"/> and
/// the thresholds. A condition is beyond its threshold, never at it; a figure that is null (a zero denominator) raises
/// nothing.
/// </summary>
public static class AlertRules
{
    public static readonly IReadOnlyList<AlertRule> All =
    [
        new("revenue_drop", "Revenue drop", Severities.Critical,
            "revenue down more than RevenueDrop (30 %) against the period before; the alert says where revenue lies against its usual "
            + "range (the activation baseline)"),
        new("roas_below_one", "ROAS below 1", Severities.Critical,
            "blended ROAS under RoasFloor (1.0), subject blended; or a campaign whose platform-reported ROAS is under it, subject the campaign"),
        new("cac_increase", "CAC increase", Severities.Warning, "CAC up more than CacIncrease (25 %)"),
        new("ctr_drop", "CTR drop", Severities.Warning, "a platform's CTR down more than CtrDrop (20 %), subject the platform"),
        new("conversion_rate_drop", "Conversion rate drop", Severities.Warning,
            "orders / sessions down more than ConversionRateDrop (20 %); the alert says where the rate lies against its usual range"),
        new("fast_mover_stockout", "Fast mover out of stock", Severities.Critical,
            "a variant of the fast velocity tier out of stock in the latest snapshot, subject the variant"),
        new("pipeline_missing", "Pipeline missing", Severities.Critical,
            "a daily sync that ran in the last week has no whole success for more than PipelineMaxAgeHours "
            + "(26 h: a day and its schedule's slack), subject the job"),
        new("contribution_margin_negative", "Contribution margin negative", Severities.Critical,
            "the contribution margin (gross profit − shipping − payment fees − ad spend) below zero, naming the cost that grew most "
            + "against the period before"),
        new("gross_margin_drop", "Gross margin drop", Severities.Warning,
            "the gross margin down more than GrossMarginDropPoints (5 points) against the period before"),
        new("sync_gap", "Sync gap", Severities.Warning,
            "a daily sync found its watermark older than the floor it reads back to, and the backfill of the changes between them "
            + "has not completed whole, subject the entity"),
        new("flow_stopped", "E-mail flow stopped", Severities.Warning,
            "an e-mail flow that sent on each of FlowSteadyDays (7) days in a row has sent nothing since, for up to FlowStoppedForDays (14) days "
            + "(then it is taken as turned off on purpose); judged only when another flow sent on the period's last day, so that day's e-mail "
            + "has come in; subject the flow"),
        new("email_bounce_rate", "E-mail bounce rate high", Severities.Warning,
            "the period's e-mail bounces / recipients over EmailBounceRate (1 %), critical over EmailBounceRateCritical (2 %), judged from "
            + "EmailMinimumRecipients (1,000) recipients, naming the flows and campaigns over the rate"),
        new("email_unsubscribe_rate", "E-mail unsubscribe rate high", Severities.Warning,
            "the period's e-mail unsubscribes / delivered over EmailUnsubscribeRate (0.3 %), critical over EmailUnsubscribeRateCritical (1 %), "
            + "judged from EmailMinimumRecipients (1,000) recipients, naming the flows and campaigns over the rate"),
    ];

    public static IReadOnlyList<AlertCondition> Evaluate(AlertInputs inputs, AlertOptions thresholds)
    {
        var kpis = inputs.Kpis.ToDictionary(k => k.Name);
        var period = $"{inputs.From:yyyy-MM-dd} to {inputs.To:yyyy-MM-dd}";
        var conditions = new List<AlertCondition>();

        var (sales, marketing, both) = (inputs.SalesHeld, inputs.MarketingHeld, inputs.SalesHeld && inputs.MarketingHeld);

        var baselines = (inputs.Baselines ?? []).ToDictionary(b => b.Name);
        if (sales && Moved(kpis["revenue"]) is { } revenueChange && revenueChange < -thresholds.RevenueDrop)
            conditions.Add(new("revenue_drop", "", Severities.Critical,
                $"Revenue fell {Percent(-revenueChange)} over {period} against the period before"
                + $"{AgainstUsual(baselines, kpis["revenue"], "N0", " minor units")}.",
                "Look at the sales pulse for the days that fell, at the traffic by channel group for the sessions that went, "
                + "and at the stock of the best sellers.",
                WithBaseline(Figures(kpis["revenue"], ("threshold", -thresholds.RevenueDrop)), baselines, "revenue")));

        if (both && kpis["blended_roas"].Value is { } blended && blended < thresholds.RoasFloor)
            conditions.Add(new("roas_below_one", "blended", Severities.Critical,
                $"Blended ROAS is {blended:0.00} over {period}: the shop's revenue is less than its ad spend.",
                "Cut or pause the campaigns under ROAS 1: " + string.Join(", ", UnderFloor(inputs, thresholds).Select(c => Label(c))) + ".",
                Figures(kpis["blended_roas"], ("threshold", thresholds.RoasFloor))));
        foreach (var campaign in marketing ? UnderFloor(inputs, thresholds) : [])
        {
            var roas = Math.Round((decimal)campaign.ValueMinor / campaign.SpendMinor, KpiCalculator.RatioDecimals, MidpointRounding.AwayFromZero);
            conditions.Add(new("roas_below_one", $"{campaign.Source}:{campaign.CampaignId}", Severities.Critical,
                $"{Label(campaign)} returned {roas:0.00} per unit spent over {period}, by its platform's own count.",
                $"Review {Label(campaign)}: its audience, its bids and its creative, or move its budget to the campaigns above ROAS 1.",
                new Dictionary<string, decimal?>
                {
                    ["roas"] = roas, ["spend_minor"] = campaign.SpendMinor, ["value_minor"] = campaign.ValueMinor, ["threshold"] = thresholds.RoasFloor,
                }));
        }

        if (both && Moved(kpis["cac"]) is { } cacChange && cacChange > thresholds.CacIncrease)
            conditions.Add(new("cac_increase", "", Severities.Warning,
                $"CAC rose {Percent(cacChange)} over {period}: each new customer cost {kpis["cac"].Value:N0} against {kpis["cac"].Previous:N0} (minor units).",
                "Look at the campaigns whose spend grew without new customers, and at the share of returning customers in the orders.",
                Figures(kpis["cac"], ("threshold", thresholds.CacIncrease))));

        foreach (var platform in marketing ? inputs.Platforms : [])
        {
            var ctr = platform.Impressions == 0 ? (decimal?)null : (decimal)platform.Clicks / platform.Impressions;
            var previous = platform.PreviousImpressions == 0 ? (decimal?)null : (decimal)platform.PreviousClicks / platform.PreviousImpressions;
            if (Moved(ctr, previous) is not { } change || change >= -thresholds.CtrDrop) continue;
            var name = platform.Source == "meta" ? "Meta" : "Google Ads";
            conditions.Add(new("ctr_drop", platform.Source, Severities.Warning,
                $"{name}'s click-through rate fell {Percent(-change)} over {period} ({ctr:P2} against {previous:P2}).",
                $"Look at {name}'s creatives and audiences for fatigue: the campaigns whose impressions grew without clicks.",
                new Dictionary<string, decimal?>
                {
                    ["ctr"] = Round(ctr), ["previous_ctr"] = Round(previous), ["change"] = KpiCalculator.Change(Round(ctr), Round(previous)),
                    ["threshold"] = -thresholds.CtrDrop,
                }));
        }

        if (both && Moved(kpis["conversion_rate"]) is { } conversionChange && conversionChange < -thresholds.ConversionRateDrop)
            conditions.Add(new("conversion_rate_drop", "", Severities.Warning,
                $"The conversion rate fell {Percent(-conversionChange)} over {period} ({kpis["conversion_rate"].Value:P2} of sessions ordered)"
                + $"{AgainstUsual(baselines, kpis["conversion_rate"], "P2")}.",
                "Look at the channel groups whose sessions grew without orders, at the checkout, and at the stock of the products most visited.",
                WithBaseline(Figures(kpis["conversion_rate"], ("threshold", -thresholds.ConversionRateDrop)), baselines, "conversion_rate")));

        if (inputs.Profit is { } profitFigures)
            conditions.AddRange(ProfitConditions(profitFigures.ToDictionary(k => k.Name), kpis["ad_spend"], period, marketing || inputs.NoMarketing,
                thresholds));

        foreach (var variant in (inputs.StockOuts ?? []).Where(v => v.VelocityTier == "fast"))
        {
            var name = variant.Title ?? $"variant {variant.VariantId}";
            conditions.Add(new("fast_mover_stockout", $"variant:{variant.VariantId}", Severities.Critical,
                $"{name}{(variant.Sku is null ? "" : $" ({variant.Sku})")} is out of stock; it sold {variant.DailyVelocity:0.##} a day, "
                + $"so {variant.DaysOfCover ?? 0:0.#} days of cover are left.",
                $"Reorder {name}{(variant.Sku is null ? "" : $" ({variant.Sku})")} now, or move stock from another location; "
                + "pause the campaigns that send traffic to it until it is back.",
                new Dictionary<string, decimal?>
                {
                    ["variant_id"] = variant.VariantId, ["daily_velocity"] = variant.DailyVelocity, ["days_of_cover"] = variant.DaysOfCover ?? 0,
                }));
        }

        foreach (var pipeline in inputs.Pipelines ?? [])
        {
            if (!pipeline.Missing(inputs.Now, thresholds.PipelineMaxAgeHours)) continue;
            var age = pipeline.Age(inputs.Now);
            var label = pipeline.Job == "shopify" ? "The Shopify sync" : $"The {pipeline.Job["marketing:".Length..]} sync";
            conditions.Add(new("pipeline_missing", pipeline.Job, Severities.Critical,
                age is { } hours
                    ? $"{label} has not completed whole for {hours.TotalHours:0} h (its last success {pipeline.LastSuccess:u})."
                    : $"{label} ran this week but has not completed whole in it.",
                $"Look at the runs of {pipeline.Job} (GET /api/ingest/runs?shop=…) for the step and the error they stopped at: "
                + "a token refused, a scope missing, a quota used up, or the schedule off.",
                new Dictionary<string, decimal?>
                {
                    ["hours_since_success"] = age is { } a ? Math.Round((decimal)a.TotalHours, 1) : null, ["threshold_hours"] = thresholds.PipelineMaxAgeHours,
                }));
        }

        foreach (var gap in (inputs.Gaps ?? []).GroupBy(g => g.Entity).Select(g => g.OrderBy(x => x.From).First()))
        {
            conditions.Add(new("sync_gap", gap.Entity, Severities.Warning,
                $"The {gap.Entity} of this shop went unsynced longer than a daily sync reads back: "
                + $"the changes from {gap.From:u} to {gap.Floor:u} were not read by the daily sync.",
                $"Backfill run {gap.BackfillRunId} reads them (GET /api/ingest/runs/{gap.BackfillRunId}); "
                + "until it completes, the figures of those days may miss refunds and edits. "
                + "If it failed, start a backfill of those days again (POST /api/ingest/backfill).",
                new Dictionary<string, decimal?> { ["gap_days"] = Math.Round((decimal)(gap.Floor - gap.From).TotalDays, 1) }));
        }

        conditions.AddRange(FlowConditions(inputs, thresholds));
        if (marketing) conditions.AddRange(EmailRateConditions(inputs.EmailSends ?? [], period, thresholds));

        return conditions;
    }

    /// <summary>The flows that sent every day for <see cref="AlertOptions.FlowSteadyDays"/> and then stopped.</summary>
    private static IEnumerable<AlertCondition> FlowConditions(AlertInputs inputs, AlertOptions thresholds)
    {
        var flows = inputs.FlowSending ?? [];
        if (!flows.Any(f => f.Days.Contains(inputs.To))) yield break;
        foreach (var flow in flows)
        {
            var last = flow.Days[^1];
            var silent = inputs.To.DayNumber - last.DayNumber;
            if (silent < 1 || silent > thresholds.FlowStoppedForDays) continue;
            if (!Enumerable.Range(0, thresholds.FlowSteadyDays).All(i => flow.Days.Contains(last.AddDays(-i)))) continue;
            var name = $"\"{flow.Name ?? flow.FlowId}\" ({flow.FlowId})";
            yield return new("flow_stopped", $"flow:{flow.FlowId}", Severities.Warning,
                $"The flow {name} sent every day up to {last:yyyy-MM-dd} and nothing in the {silent} day{(silent == 1 ? "" : "s")} since, "
                + "while the shop's other flows kept sending.",
                $"Open the flow {name} in Klaviyo: whether it was set to draft or manual, whether its trigger still comes in (a store integration that "
                + "stopped sends no Started Checkout or Placed Order events), and whether a filter or a smart-sending change now leaves everyone out.",
                new Dictionary<string, decimal?> { ["days_silent"] = silent, ["steady_days"] = thresholds.FlowSteadyDays });
        }
    }

    /// <summary>The period's bounce and unsubscribe rates over their settings, naming the flows and campaigns over them.</summary>
    private static IEnumerable<AlertCondition> EmailRateConditions(IReadOnlyList<EmailSend> sends, string period, AlertOptions thresholds)
    {
        var (recipients, delivered) = (sends.Sum(s => s.Recipients), sends.Sum(s => s.Delivered));
        if (recipients < thresholds.EmailMinimumRecipients) yield break;
        var rates = new[]
        {
            (Rule: "email_bounce_rate", What: "bounce rate", Count: (Func<EmailSend, long>)(s => s.Bounces), Of: (Func<EmailSend, long>)(s => s.Recipients),
                Total: recipients, Warning: thresholds.EmailBounceRate, Critical: thresholds.EmailBounceRateCritical,
                Advice: "Clean the list before the next send: suppress the addresses that bounced, confirm new sign-ups (double opt-in), and look at "
                    + "where the addresses of {0} came from; a list not mailed for months, or bought, bounces this much."),
            (Rule: "email_unsubscribe_rate", What: "unsubscribe rate", Count: s => s.Unsubscribes, Of: s => s.Delivered,
                Total: delivered, Warning: thresholds.EmailUnsubscribeRate, Critical: thresholds.EmailUnsubscribeRateCritical,
                Advice: "Send {0} to an engaged segment rather than the whole list, less often, and check that what it says matches what "
                    + "the subscribers signed up for."),
        };
        foreach (var rate in rates)
        {
            if (rate.Total == 0) continue;
            var value = (decimal)sends.Sum(rate.Count) / rate.Total;
            if (value <= rate.Warning) continue;
            var over = sends.Where(s => rate.Of(s) > 0 && (decimal)rate.Count(s) / rate.Of(s) > rate.Warning)
                .OrderByDescending(s => rate.Count(s)).ThenBy(s => s.ParentId, StringComparer.Ordinal).Take(3).ToList();
            var named = over.Count == 0 ? "every send" : string.Join(", ", over.Select(s => $"{s.Kind} \"{s.Name ?? s.ParentId}\" ({s.ParentId}, "
                + Percent((decimal)rate.Count(s) / rate.Of(s)) + ")"));
            var critical = value > rate.Critical;
            yield return new(rate.Rule, "", critical ? Severities.Critical : Severities.Warning,
                $"The e-mail {rate.What} was {Percent(value)} over {period} ({sends.Sum(rate.Count):N0} of {rate.Total:N0}): "
                + (critical
                    ? $"past {Percent(rate.Critical)}, where Klaviyo says a send needs attention"
                    : $"past the {Percent(rate.Warning)} of a healthy send")
                + (over.Count == 0 ? "." : $". The sends over {Percent(rate.Warning)}: {named}."),
                string.Format(CultureInfo.InvariantCulture, rate.Advice, named),
                new Dictionary<string, decimal?>
                {
                    ["value"] = Round(value), ["count"] = sends.Sum(rate.Count), ["of"] = rate.Total, ["threshold"] = rate.Warning,
                    ["critical_threshold"] = rate.Critical,
                });
        }
    }

    /// <summary>
    /// The profit rules: a contribution margin below zero (only when the ad spend in it is whole), naming the cost that
    /// grew most against the period before (else the largest); a gross margin fallen more than its points.
    /// </summary>
    private static IEnumerable<AlertCondition> ProfitConditions(Dictionary<string, Kpi> profit, Kpi adSpend, string period, bool spendWhole,
        AlertOptions thresholds)
    {
        if (spendWhole && profit["contribution_margin"].Value is { } contribution && contribution < 0)
        {
            var costs = new[]
            {
                (Label: "ad spend", Kpi: adSpend,
                    Advice: "Cut the campaigns under the break-even ROAS (1 / gross margin) and move their budget to the ones above it."),
                (Label: "cost of goods", Kpi: profit["cogs"],
                    Advice: "Look at the products whose unit cost rose (GET /api/costs/variants), the discounts, and the mix of what sold."),
                (Label: "shipping", Kpi: profit["shipping_cost"],
                    Advice: "Look at the carriers' rates and the shop's shipping rules (GET /api/costs/rules), and at free-shipping thresholds."),
                (Label: "payment fees", Kpi: profit["payment_fees"],
                    Advice: "Look at the payment mix: the orders through gateways with higher fees, and the fee rules (GET /api/costs/rules)."),
            };
            var grew = costs.OrderByDescending(c => (c.Kpi.Value ?? 0) - (c.Kpi.Previous ?? 0)).ThenBy(c => c.Label, StringComparer.Ordinal).First();
            var largest = (grew.Kpi.Value ?? 0) - (grew.Kpi.Previous ?? 0) > 0 ? grew : costs.OrderByDescending(c => c.Kpi.Value ?? 0).First();
            var rose = (largest.Kpi.Value ?? 0) - (largest.Kpi.Previous ?? 0);
            yield return new("contribution_margin_negative", "", Severities.Critical,
                $"The contribution margin was {contribution:N0} over {period} (minor units): gross profit {profit["gross_profit"].Value:N0} did not cover "
                + $"shipping, payment fees and ad spend. The cost that grew most against the period before: {largest.Label}, "
                + (rose > 0 ? $"up {rose:N0} to {largest.Kpi.Value:N0}." : $"the largest at {largest.Kpi.Value:N0}."),
                largest.Advice,
                new Dictionary<string, decimal?>
                {
                    ["value"] = contribution, ["previous"] = profit["contribution_margin"].Previous, ["change"] = profit["contribution_margin"].Change,
                    [$"{largest.Kpi.Name}_minor"] = largest.Kpi.Value, [$"previous_{largest.Kpi.Name}_minor"] = largest.Kpi.Previous, ["threshold"] = 0,
                });
        }

        if (profit["gross_margin"] is { Value: { } margin, Previous: { } before } && before - margin > thresholds.GrossMarginDropPoints)
            yield return new("gross_margin_drop", "", Severities.Warning,
                $"The gross margin fell from {Percent(before)} to {Percent(margin)} over {period} ({(before - margin) * 100:0.0} points).",
                "Look at the products whose unit cost rose (a new cost from Shopify or an override), at deeper discounts, and at the sales "
                + "moving to products of lower margin.",
                new Dictionary<string, decimal?>
                {
                    ["value"] = margin, ["previous"] = before, ["points"] = Math.Round(before - margin, KpiCalculator.RatioDecimals),
                    ["threshold"] = thresholds.GrossMarginDropPoints,
                });
    }

    private static IEnumerable<CampaignFigures> UnderFloor(AlertInputs inputs, AlertOptions thresholds) =>
        inputs.Campaigns
            .Where(c => c.SpendMinor >= Math.Max(1, thresholds.MinimumCampaignSpendMinor) && (decimal)c.ValueMinor / c.SpendMinor < thresholds.RoasFloor)
            .OrderByDescending(c => c.SpendMinor);

    private static string Label(CampaignFigures campaign) =>
        $"{(campaign.Source == "meta" ? "Meta" : "Google Ads")} campaign \"{campaign.Name}\" ({campaign.CampaignId})";

    /// <summary>What the message says of the baseline: where the value lies against its usual range, when one is known.</summary>
    private static string AgainstUsual(Dictionary<string, KpiBaseline> baselines, Kpi kpi, string format, string unit = "") =>
        baselines.GetValueOrDefault(kpi.Name) is { Low: { } low, High: { } high, Weeks: var weeks }
            ? $"; {(kpi.Value < low ? "below" : kpi.Value > high ? "above" : "within")} its usual {low.ToString(format, CultureInfo.InvariantCulture)} to "
              + $"{high.ToString(format, CultureInfo.InvariantCulture)}{unit} (the same weekdays of the last {weeks} weeks)"
            : "";

    private static Dictionary<string, decimal?> WithBaseline(Dictionary<string, decimal?> figures, Dictionary<string, KpiBaseline> baselines, string name)
    {
        if (baselines.GetValueOrDefault(name) is not { Baseline: { } baseline } usual) return figures;
        (figures["baseline"], figures["baseline_low"], figures["baseline_high"], figures["z_score"]) = (baseline, usual.Low, usual.High, usual.ZScore);
        return figures;
    }

    private static Dictionary<string, decimal?> Figures(Kpi kpi, (string Name, decimal Value) threshold) => new()
    {
        ["value"] = kpi.Value, ["previous"] = kpi.Previous, ["change"] = kpi.Change, [threshold.Name] = threshold.Value,
    };

    /// <summary>
    /// The relative change of a KPI, exactly (its published change is rounded to 4 places, which would blur a threshold):
    /// null when the previous value is 0 or null.
    /// </summary>
    private static decimal? Moved(Kpi kpi) => Moved(kpi.Value, kpi.Previous);

    private static decimal? Moved(decimal? value, decimal? previous) =>
        value is null || previous is null or 0 ? null : (value.Value - previous.Value) / previous.Value;

    private static decimal? Round(decimal? ratio) => ratio is { } r ? Math.Round(r, KpiCalculator.RatioDecimals, MidpointRounding.AwayFromZero) : null;

    private static string Percent(decimal share) => share.ToString("P1", CultureInfo.InvariantCulture);
}
