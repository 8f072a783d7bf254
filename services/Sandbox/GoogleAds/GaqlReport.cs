using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GrowthOs.Sandbox.DemoData;

namespace GrowthOs.Sandbox.GoogleAds;

/// <summary>
/// Runs a GAQL query over what the Sandbox holds of a Google Ads customer: the <c>customer</c> and <c>campaign</c>
/// resources (with the campaign's <c>campaign_budget</c>), the date segments (<c>date</c>, <c>week</c>, <c>month</c>,
/// <c>quarter</c>, <c>year</c>, <c>day_of_week</c>) and <c>device</c>, and the campaign metrics. As Google does, metrics
/// are summed over the segments selected (over the whole date range when none is), a date segment selected needs a
/// finite date range in <c>WHERE</c>, a segmented row without any metric is left out, and a row is written in proto3
/// JSON: lowerCamelCase names, int64 as strings, doubles as numbers, enums by name, zero values left out.
/// </summary>
public sealed class GaqlReport
{
    private enum Kind { Text, Int64, Int32, Double }

    private static readonly Dictionary<string, Kind> Catalog = new(StringComparer.Ordinal)
    {
        ["customer.id"] = Kind.Int64, ["customer.descriptive_name"] = Kind.Text, ["customer.currency_code"] = Kind.Text,
        ["customer.time_zone"] = Kind.Text, ["customer.status"] = Kind.Text, ["customer.manager"] = Kind.Text, ["customer.resource_name"] = Kind.Text,
        ["campaign.id"] = Kind.Int64, ["campaign.name"] = Kind.Text, ["campaign.resource_name"] = Kind.Text, ["campaign.status"] = Kind.Text,
        ["campaign.advertising_channel_type"] = Kind.Text, ["campaign.bidding_strategy_type"] = Kind.Text,
        ["campaign.optimization_score"] = Kind.Double, ["campaign.campaign_budget"] = Kind.Text,
        ["campaign_budget.id"] = Kind.Int64, ["campaign_budget.amount_micros"] = Kind.Int64, ["campaign_budget.resource_name"] = Kind.Text,
        ["segments.date"] = Kind.Text, ["segments.week"] = Kind.Text, ["segments.month"] = Kind.Text, ["segments.quarter"] = Kind.Text,
        ["segments.year"] = Kind.Int32, ["segments.day_of_week"] = Kind.Text, ["segments.device"] = Kind.Text,
        ["metrics.cost_micros"] = Kind.Int64, ["metrics.impressions"] = Kind.Int64, ["metrics.clicks"] = Kind.Int64,
        ["metrics.conversions"] = Kind.Double, ["metrics.conversions_value"] = Kind.Double, ["metrics.all_conversions"] = Kind.Double,
        ["metrics.all_conversions_value"] = Kind.Double, ["metrics.ctr"] = Kind.Double, ["metrics.average_cpc"] = Kind.Double,
        ["metrics.average_cpm"] = Kind.Double, ["metrics.cost_per_conversion"] = Kind.Double, ["metrics.value_per_conversion"] = Kind.Double,
        ["metrics.conversions_from_interactions_rate"] = Kind.Double,
    };

    private static readonly string[] DateSegments = ["segments.date", "segments.week", "segments.month", "segments.quarter", "segments.year"];

    /// <summary>How the Sandbox splits a day's delivery over devices (the rest of each figure goes to mobile).</summary>
    private static readonly (string Device, double Share)[] Devices = [("DESKTOP", 0.34), ("TABLET", 0.08)];

    private readonly Gaql _query;
    private readonly SandboxAdsCustomer _customer;
    private readonly SandboxShop? _shop;
    private readonly DemoMarketing? _marketing;

    public GaqlReport(Gaql query, SandboxAdsCustomer customer, SandboxShop? shop, DemoMarketing? marketing)
    {
        (_query, _customer, _shop, _marketing) = (query, customer, shop, marketing);
        if (query.Resource is not ("campaign" or "customer"))
            throw new GaqlException("BAD_RESOURCE_TYPE_IN_FROM_CLAUSE",
                $"The Sandbox holds the customer and campaign resources; it cannot answer FROM {query.Resource}.");
        foreach (var field in Referenced)
        {
            if (!Catalog.ContainsKey(field)) throw new GaqlException("UNRECOGNIZED_FIELD", $"Unrecognized field in the query: '{field}'.");
            if (query.Resource == "customer" && field.Split('.')[0] is "campaign" or "campaign_budget")
                throw new GaqlException("PROHIBITED_RESOURCE_TYPE_IN_SELECT_CLAUSE",
                    $"A field that comes from an incompatible resource was included in the query: '{field}' cannot be selected FROM customer.");
        }
    }

    private IEnumerable<string> Referenced =>
        _query.Fields.Concat(_query.Conditions.Select(c => c.Field)).Concat(_query.Orderings.Select(o => o.Field)).Distinct();

    public string FieldMask => string.Join(',', _query.Fields.Select(Camel));

    /// <summary>The rows of the query, in Google's proto3 JSON, as of <paramref name="today"/> in the customer's time zone.</summary>
    public List<JsonObject> Rows(DateOnly today)
    {
        var (since, until) = DateRange(today);
        if (_query.Fields.FirstOrDefault(f => DateSegments.Contains(f)) is { } segment && (since is null || until is null))
            throw new GaqlException("EXPECTED_FILTERS_ON_DATE_RANGE",
                $"Expects filters on the following field to limit a finite date range: '{segment}'.");
        var selectedSegments = _query.Fields.Where(f => f.StartsWith("segments.", StringComparison.Ordinal)).ToList();
        var byDevice = Referenced.Contains("segments.device");
        var segmented = selectedSegments.Count > 0;
        var groups = new List<Group>();
        if (Referenced.Any(f => f.StartsWith("metrics.", StringComparison.Ordinal) || f.StartsWith("segments.", StringComparison.Ordinal)))
        {
            var facts = (_marketing?.GoogleDays(since ?? _marketing.FirstDay, until ?? _marketing.LastDay) ?? [])
                .SelectMany(day => Facts(day, byDevice))
                .Where(fact => _query.Conditions.Where(c => c.Field.StartsWith("segments.", StringComparison.Ordinal) && c.Field != "segments.date")
                    .All(c => Holds(c, Segment(c.Field, fact))));
            var index = new Dictionary<string, Group>(StringComparer.Ordinal);
            foreach (var fact in facts)
            {
                var campaign = _query.Resource == "campaign" ? fact.Campaign : null;
                var segments = selectedSegments.ToDictionary(f => f, f => Segment(f, fact));
                var key = $"{campaign?.Id}|{string.Join('|', segments.Values)}";
                if (!index.TryGetValue(key, out var group)) groups.Add(index[key] = group = new Group(campaign, segments));
                group.Add(fact);
            }
            if (!segmented && _query.Resource == "campaign")
                groups = DemoMarketing.GoogleCampaigns.Select(c => groups.FirstOrDefault(g => g.Campaign == c) ?? new Group(c, [])).ToList();
            if (!segmented && _query.Resource == "customer" && groups.Count == 0) groups.Add(new Group(null, []));
            // Google leaves out a segmented row in which every metric is zero.
            if (segmented) groups = groups.Where(g => g.Impressions != 0 || g.Clicks != 0 || g.CostMicros != 0 || g.Conversions != 0).ToList();
        }
        else
        {
            groups = _query.Resource == "campaign"
                ? DemoMarketing.GoogleCampaigns.Select(c => new Group(c, [])).ToList()
                : [new Group(null, [])];
        }

        IEnumerable<Group> rows = groups.Where(g =>
            _query.Conditions.Where(c => !c.Field.StartsWith("segments.", StringComparison.Ordinal)).All(c => Holds(c, Value(c.Field, g))));
        IOrderedEnumerable<Group>? ordered = null;
        foreach (var ordering in _query.Orderings)
        {
            Func<Group, object?> key = g => Value(ordering.Field, g);
            ordered = ordered is null
                ? ordering.Descending ? rows.OrderByDescending(key, Comparer) : rows.OrderBy(key, Comparer)
                : ordering.Descending ? ordered.ThenByDescending(key, Comparer) : ordered.ThenBy(key, Comparer);
        }
        rows = ordered ?? rows;
        if (_query.Limit is { } limit) rows = rows.Take(limit);
        return rows.Select(Json).ToList();
    }

    /// <summary>The date range the <c>WHERE</c> clause sets on <c>segments.date</c>, each end null when it sets none.</summary>
    private (DateOnly? Since, DateOnly? Until) DateRange(DateOnly today)
    {
        DateOnly? since = null, until = null;
        void Narrow(DateOnly? from, DateOnly? to)
        {
            if (from is { } f && (since is null || f > since)) since = f;
            if (to is { } t && (until is null || t < until)) until = t;
        }
        foreach (var condition in _query.Conditions.Where(c => c.Field == "segments.date"))
        {
            switch (condition.Operator)
            {
                case "DURING": var (from, to) = During(condition.Values[0], today); Narrow(from, to); break;
                case "BETWEEN": Narrow(Date(condition.Values[0]), Date(condition.Values[1])); break;
                case "=": Narrow(Date(condition.Values[0]), Date(condition.Values[0])); break;
                case ">=": Narrow(Date(condition.Values[0]), null); break;
                case ">": Narrow(Date(condition.Values[0]).AddDays(1), null); break;
                case "<=": Narrow(null, Date(condition.Values[0])); break;
                case "<": Narrow(null, Date(condition.Values[0]).AddDays(-1)); break;
                default:
                    throw new GaqlException("INVALID_OPERATOR_FOR_DATE_FIELD",
                        $"The Sandbox limits segments.date with DURING, BETWEEN, =, >, >=, < or <=, not {condition.Operator}.");
            }
        }
        return (since, until);
    }

    /// <summary>A date as GAQL writes one: YYYY-MM-DD or YYYYMMDD.</summary>
    private static DateOnly Date(string text) =>
        DateOnly.TryParseExact(text, ["yyyy-MM-dd", "yyyyMMdd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new GaqlException("INVALID_DATE_FORMAT", $"Invalid date '{text}': a date is written YYYY-MM-DD or YYYYMMDD.");

    /// <summary>The predefined date ranges of Google's date-ranges page; the LAST_N_DAYS ones end yesterday.</summary>
    private static (DateOnly From, DateOnly To) During(string literal, DateOnly today)
    {
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var sunday = today.AddDays(-(int)today.DayOfWeek);
        var month = new DateOnly(today.Year, today.Month, 1);
        return literal.ToUpperInvariant() switch
        {
            "TODAY" => (today, today),
            "YESTERDAY" => (today.AddDays(-1), today.AddDays(-1)),
            "LAST_7_DAYS" => (today.AddDays(-7), today.AddDays(-1)),
            "LAST_14_DAYS" => (today.AddDays(-14), today.AddDays(-1)),
            "LAST_30_DAYS" => (today.AddDays(-30), today.AddDays(-1)),
            "LAST_BUSINESS_WEEK" => (monday.AddDays(-7), monday.AddDays(-3)),
            "THIS_MONTH" => (month, month.AddMonths(1).AddDays(-1)),
            "LAST_MONTH" => (month.AddMonths(-1), month.AddDays(-1)),
            "THIS_WEEK_SUN_TODAY" => (sunday, today),
            "THIS_WEEK_MON_TODAY" => (monday, today),
            "LAST_WEEK_SUN_SAT" => (sunday.AddDays(-7), sunday.AddDays(-1)),
            "LAST_WEEK_MON_SUN" => (monday.AddDays(-7), monday.AddDays(-1)),
            _ => throw new GaqlException("INVALID_VALUE_WITH_DURING_OPERATOR", $"Invalid date literal supplied for DURING operator: {literal}."),
        };
    }

    private sealed record Fact(DemoCampaign Campaign, DateOnly Date, string? Device, long CostMicros, long Impressions, long Clicks, double Conversions,
        double Value);

    /// <summary>A campaign day, whole or split over devices: each figure's device shares rounded down, the rest on mobile.</summary>
    private static IEnumerable<Fact> Facts(DemoCampaignDay day, bool byDevice)
    {
        var costMicros = (long)(day.Spend * 1_000_000);
        var conversions = Math.Round(day.Purchases * (0.85 + 0.3 * (day.Date.DayNumber % 7) / 6.0), 2);
        var value = (double)day.PurchaseValue;
        if (!byDevice)
        {
            yield return new Fact(day.Campaign, day.Date, null, costMicros, day.Impressions, day.Clicks, conversions, value);
            yield break;
        }
        Fact mobile = new(day.Campaign, day.Date, "MOBILE", costMicros, day.Impressions, day.Clicks, conversions, value);
        foreach (var (device, share) in Devices)
        {
            var part = new Fact(day.Campaign, day.Date, device, (long)(costMicros * share), (long)(day.Impressions * share), (long)(day.Clicks * share),
                Math.Floor(conversions * share * 100) / 100, Math.Floor(value * share * 100) / 100);
            mobile = mobile with
            {
                CostMicros = mobile.CostMicros - part.CostMicros,
                Impressions = mobile.Impressions - part.Impressions,
                Clicks = mobile.Clicks - part.Clicks,
                Conversions = Math.Round(mobile.Conversions - part.Conversions, 2),
                Value = Math.Round(mobile.Value - part.Value, 2),
            };
            yield return part;
        }
        yield return mobile;
    }

    private sealed class Group(DemoCampaign? campaign, Dictionary<string, object> segments)
    {
        public DemoCampaign? Campaign { get; } = campaign;
        public Dictionary<string, object> Segments { get; } = segments;
        public long CostMicros { get; private set; }
        public long Impressions { get; private set; }
        public long Clicks { get; private set; }
        public double Conversions { get; private set; }
        public double Value { get; private set; }

        public void Add(Fact fact)
        {
            (CostMicros, Impressions, Clicks) = (CostMicros + fact.CostMicros, Impressions + fact.Impressions, Clicks + fact.Clicks);
            (Conversions, Value) = (Math.Round(Conversions + fact.Conversions, 6), Math.Round(Value + fact.Value, 6));
        }
    }

    private static object Segment(string field, Fact fact) => field switch
    {
        "segments.date" => Text(fact.Date),
        "segments.week" => Text(fact.Date.AddDays(-(((int)fact.Date.DayOfWeek + 6) % 7))),
        "segments.month" => Text(new DateOnly(fact.Date.Year, fact.Date.Month, 1)),
        "segments.quarter" => Text(new DateOnly(fact.Date.Year, (fact.Date.Month - 1) / 3 * 3 + 1, 1)),
        "segments.year" => (long)fact.Date.Year,
        "segments.day_of_week" => fact.Date.DayOfWeek.ToString().ToUpperInvariant(),
        "segments.device" => fact.Device ?? "MOBILE",
        _ => throw new GaqlException("UNRECOGNIZED_FIELD", $"Unrecognized field in the query: '{field}'."),
    };

    private static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A field's value in a row: a string, a long or a double (zero when a metric is zero), or null when the row has none.</summary>
    private object? Value(string field, Group group)
    {
        var campaign = group.Campaign;
        var budgetId = campaign is null ? null : $"1{campaign.Id[^6..]}";
        double Ratio(double over, double under) => under == 0 ? 0 : over / under;
        return field switch
        {
            "customer.id" => long.Parse(_customer.Id, CultureInfo.InvariantCulture),
            "customer.descriptive_name" => $"{_shop?.Name ?? _customer.Shop} Ads",
            "customer.currency_code" => _shop?.CurrencyCode ?? "USD",
            "customer.time_zone" => _customer.TimeZone,
            "customer.status" => "ENABLED",
            // A boolean false, which proto3 JSON leaves out.
            "customer.manager" => null,
            "customer.resource_name" => $"customers/{_customer.Id}",
            "campaign.id" => campaign is null ? null : long.Parse(campaign.Id, CultureInfo.InvariantCulture),
            "campaign.name" => campaign?.Name,
            "campaign.resource_name" => campaign is null ? null : $"customers/{_customer.Id}/campaigns/{campaign.Id}",
            "campaign.status" => campaign is null ? null : "ENABLED",
            "campaign.advertising_channel_type" => campaign?.Name switch
            {
                null => null,
                var name when name.StartsWith("Search", StringComparison.Ordinal) => "SEARCH",
                var name when name.StartsWith("Shopping", StringComparison.Ordinal) => "SHOPPING",
                _ => "PERFORMANCE_MAX",
            },
            "campaign.bidding_strategy_type" => campaign?.Name switch
            {
                null => null,
                var name when name.Contains("Brand", StringComparison.Ordinal) => "MANUAL_CPC",
                var name when name.StartsWith("Search", StringComparison.Ordinal) => "TARGET_ROAS",
                _ => "MAXIMIZE_CONVERSION_VALUE",
            },
            "campaign.optimization_score" => campaign is null ? null : 0.7 + long.Parse(campaign.Id[^1..], CultureInfo.InvariantCulture) / 20.0,
            "campaign.campaign_budget" or "campaign_budget.resource_name" =>
                budgetId is null ? null : $"customers/{_customer.Id}/campaignBudgets/{budgetId}",
            "campaign_budget.id" => budgetId is null ? null : long.Parse(budgetId, CultureInfo.InvariantCulture),
            // A daily budget of about a thousand units of the shop's currency spread by the campaign's share of the spend.
            "campaign_budget.amount_micros" => campaign is null ? null : (long)Math.Round(campaign.SpendShare * 1_000) * 1_000_000,
            "metrics.cost_micros" => group.CostMicros,
            "metrics.impressions" => group.Impressions,
            "metrics.clicks" => group.Clicks,
            "metrics.conversions" or "metrics.all_conversions" => group.Conversions,
            "metrics.conversions_value" or "metrics.all_conversions_value" => group.Value,
            "metrics.ctr" => Ratio(group.Clicks, group.Impressions),
            "metrics.average_cpc" => Ratio(group.CostMicros, group.Clicks),
            "metrics.average_cpm" => Ratio(group.CostMicros * 1_000.0, group.Impressions),
            "metrics.cost_per_conversion" => Ratio(group.CostMicros, group.Conversions),
            "metrics.value_per_conversion" => Ratio(group.Value, group.Conversions),
            "metrics.conversions_from_interactions_rate" => Ratio(group.Conversions, group.Clicks),
            _ when field.StartsWith("segments.", StringComparison.Ordinal) => group.Segments.GetValueOrDefault(field),
            _ => throw new GaqlException("UNRECOGNIZED_FIELD", $"Unrecognized field in the query: '{field}'."),
        };
    }

    private static bool Holds(GaqlCondition condition, object? value)
    {
        var text = value switch
        {
            null => null,
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            long l => l.ToString(CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        int Compare(string literal) => Comparer.Compare(value, double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
            && value is long or double ? n : literal);
        static Regex Like(string pattern) =>
            new("^" + Regex.Escape(pattern).Replace("%", ".*", StringComparison.Ordinal).Replace("_", ".", StringComparison.Ordinal) + "$",
                RegexOptions.Singleline);
        var values = condition.Values;
        return condition.Operator switch
        {
            "IS NULL" => value is null,
            "IS NOT NULL" => value is not null,
            _ when value is null => false,
            "=" => Compare(values[0]) == 0,
            "!=" => Compare(values[0]) != 0,
            ">" => Compare(values[0]) > 0,
            ">=" => Compare(values[0]) >= 0,
            "<" => Compare(values[0]) < 0,
            "<=" => Compare(values[0]) <= 0,
            "IN" => values.Any(v => Compare(v) == 0),
            "NOT IN" => values.All(v => Compare(v) != 0),
            "LIKE" => Like(values[0]).IsMatch(text!),
            "NOT LIKE" => !Like(values[0]).IsMatch(text!),
            "REGEXP_MATCH" => Regex.IsMatch(text!, $"^(?:{values[0]})$"),
            "NOT REGEXP_MATCH" => !Regex.IsMatch(text!, $"^(?:{values[0]})$"),
            _ => throw new GaqlException("INVALID_OPERATOR",
                $"The operator {condition.Operator} cannot be used with {condition.Field}: it is not a repeated field or a date."),
        };
    }

    /// <summary>Numbers by value, anything else by its ordinal text; nulls first.</summary>
    private static readonly Comparer<object?> Comparer = Comparer<object?>.Create((a, b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => -1,
        (_, null) => 1,
        (long or double, long or double) => Convert.ToDouble(a, CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(b, CultureInfo.InvariantCulture)),
        _ => string.CompareOrdinal(Convert.ToString(a, CultureInfo.InvariantCulture), Convert.ToString(b, CultureInfo.InvariantCulture)),
    });

    /// <summary>A row as Google writes it: the selected fields by resource, the FROM resource's name always, zero values left out.</summary>
    private JsonObject Json(Group group)
    {
        var row = new JsonObject();
        JsonObject Part(string resource)
        {
            var name = Camel(resource);
            if (row[name] is JsonObject part) return part;
            row[name] = part = new JsonObject();
            if (resource is "customer" or "campaign" or "campaign_budget" && Value($"{resource}.resource_name", group) is string resourceName)
                part["resourceName"] = resourceName;
            return part;
        }
        if (_query.Resource == "customer" || _query.Fields.Any(f => f.StartsWith("customer.", StringComparison.Ordinal))) Part("customer");
        if (_query.Resource == "campaign") Part("campaign");
        foreach (var field in _query.Fields)
        {
            var dot = field.IndexOf('.');
            var (resource, member) = (field[..dot], Camel(field[(dot + 1)..]));
            var value = Value(field, group);
            JsonNode? node = (value, Catalog[field]) switch
            {
                (null, _) => null,
                (long l, Kind.Int64) => l == 0 ? null : l.ToString(CultureInfo.InvariantCulture),
                (long l, Kind.Int32) => l == 0 ? null : JsonValue.Create(l),
                (double d, _) => d == 0 ? null : JsonValue.Create(d),
                (string s, _) => s.Length == 0 ? null : s,
                _ => JsonValue.Create(value.ToString()),
            };
            if (node is null) continue;
            Part(resource)[member] = node;
        }
        return row;
    }

    /// <summary>A GAQL name in proto3 JSON: <c>campaign_budget.amount_micros</c> is <c>campaignBudget.amountMicros</c>.</summary>
    private static string Camel(string name) =>
        string.Join('.', name.Split('.').Select(part =>
        {
            var words = part.Split('_');
            return words[0] + string.Concat(words.Skip(1).Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));
        }));
}
