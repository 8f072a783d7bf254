using System.Text.Json;
using GrowthOs.Contracts.Marketing;
using GrowthOs.ServiceDefaults.Connections;
using GrowthOs.ServiceDefaults.Persistence;
using GrowthOs.ServiceDefaults.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace GrowthOs.Transform.Marketing;

/// <summary>
/// Loads the pages a manifest names into the staging tables in one transaction: every day the manifest covers (or, for
/// an upload that names none, every day its rows fall on) is cleared for the source first, then its rows are written,
/// so a day read again replaces what was there and a campaign that vanished from it goes too. A partial manifest (the
/// source refused the rest of its range) clears only the days its pages cover whole (<see cref="WholeDays"/>): the
/// days it lacks keep what was loaded before. One load of a shop's source at a time.
/// </summary>
public sealed class MarketingUpserter(NpgsqlDataSource dataSource, ObjectStore archive, IOptions<MarketingOptions> options, TimeProvider clock,
    ILogger<MarketingUpserter> logger, ShopConnections? connections = null)
{
    public async Task<MarketingLoad> Load(Guid runId, string shop, string source, string manifestKey, CancellationToken cancellationToken)
    {
        if (!MarketingArchiveKeys.IsOf(manifestKey, source, shop))
            throw new MalformedPageException($"The manifest {manifestKey} is not in the archive of {shop}'s {source} (raw/{source}/{shop}/).");
        var manifest = await Read<MarketingArchiveManifest>(manifestKey, cancellationToken)
                       ?? throw new MalformedPageException($"The manifest {manifestKey} is empty.");
        if (manifest.Source != source || !string.Equals(manifest.ShopDomain, shop, StringComparison.OrdinalIgnoreCase))
            throw new MalformedPageException($"The manifest {manifestKey} is {manifest.ShopDomain}'s {manifest.Source}, not {shop}'s {source}.");

        if (source == MarketingSources.Klaviyo) return await LoadEmail(runId, shop, manifest, manifestKey, cancellationToken);

        var latestDay = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(1);
        // A row (or a GA4 report) that leaves out its account's currency takes the one the account is known by: its
        // connection's check's (the provider's own answer), else that of earlier loads.
        var knownCurrency = connections?.AccountOf(shop, source)?.CurrencyCode ?? await KnownCurrency(shop, source, manifest.Account, cancellationToken);
        var examples = new List<string>();
        var campaigns = new Dictionary<(string Campaign, DateOnly Day), AdCampaignDay>();
        var traffic = new Dictionary<(DateOnly Day, string Channel), TrafficChannelDay>();
        var accounts = new HashSet<ReportedAccount>();
        long rejected = 0;
        for (var i = 0; i < manifest.Pages.Count; i++)
        {
            var key = manifest.Pages[i].Key;
            if (!MarketingArchiveKeys.IsOf(key, source, shop))
                throw new MalformedPageException($"Page {i + 1} of {manifestKey} lies outside the archive of {shop}'s {source}: {key}.");
            var body = await ReadText(key, cancellationToken);
            ParsedPage page;
            try
            {
                page = MarketingPageParser.Parse(source, manifest.Account, body, options.Value.PurchaseActionTypes, latestDay, knownCurrency);
            }
            catch (MalformedPageException exception)
            {
                throw new MalformedPageException($"Page {i + 1} of {manifestKey} ({key}): {exception.Message}");
            }
            // A later page's row of the same campaign and day (an uploaded replay of overlapping pages) replaces an earlier one.
            foreach (var row in page.Campaigns) campaigns[(row.CampaignId, row.Day)] = row;
            foreach (var row in page.Traffic) traffic[(row.Day, row.ChannelGroup)] = row;
            accounts.UnionWith(page.Accounts);
            foreach (var reason in page.Rejected) logger.LogWarning("Left out of {Key}: {Reason}", key, reason);
            examples.AddRange(page.Rejected.Take(MaxRejectedExamples - examples.Count).Select(reason => $"page {i + 1}, {reason}"));
            rejected += page.Rejected.Count;
        }

        var days = campaigns.Keys.Select(k => k.Day).Concat(traffic.Keys.Select(k => k.Day)).ToList();
        DateOnly? first = days.Count > 0 ? days.Min() : null, last = days.Count > 0 ? days.Max() : null;
        var since = manifest.Since ?? first ?? DateOnly.FromDateTime(manifest.ArchivedAt.UtcDateTime);
        var until = manifest.Until ?? last ?? since;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await AdvisoryLock.TakeForTransaction(connection, transaction, $"marketing-load:{shop}:{source}", cancellationToken);
        var table = source == MarketingSources.Ga4 ? "traffic_channel_day" : "ad_campaign_day";
        var sourceFilter = source == MarketingSources.Ga4 ? "" : " AND source = @source";
        var cleared = manifest.Partial ? WholeDays(manifest) : Days(since, until);
        await Execute(connection, $"DELETE FROM transform.{table} WHERE shop_domain = @shop{sourceFilter} AND day = ANY(@days)", p =>
        {
            p.AddWithValue("shop", shop);
            p.AddWithValue("source", source);
            p.AddWithValue("days", cleared.ToArray());
        }, cancellationToken);
        if (source == MarketingSources.Ga4) await InsertTraffic(connection, shop, runId, manifestKey, traffic.Values.ToList(), cancellationToken);
        else await InsertCampaigns(connection, shop, source, runId, manifestKey, campaigns.Values.ToList(), cancellationToken);
        foreach (var account in accounts) await RecordAccount(connection, shop, source, account, cancellationToken);
        await RecordRange(connection, shop, source, since, until, manifestKey, campaigns.Count + traffic.Count, rejected, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new MarketingLoad(campaigns.Count + traffic.Count, rejected, since, until, first, last, examples);
    }

    /// <summary>
    /// Loads a Klaviyo fetch: its pages read together (<see cref="EmailPageParser"/>), the days it covers cleared of the shop's
    /// e-mail rows and written again, and every e-mail it names kept with its flow or campaign and transactional flag.
    /// </summary>
    private async Task<MarketingLoad> LoadEmail(Guid runId, string shop, MarketingArchiveManifest manifest, string manifestKey,
        CancellationToken cancellationToken)
    {
        var parser = new EmailPageParser();
        for (var i = 0; i < manifest.Pages.Count; i++)
        {
            var page = manifest.Pages[i];
            if (!MarketingArchiveKeys.IsOf(page.Key, MarketingSources.Klaviyo, shop))
                throw new MalformedPageException($"Page {i + 1} of {manifestKey} lies outside the archive of {shop}'s klaviyo: {page.Key}.");
            try
            {
                parser.Read(page.Endpoint, page.Request, await ReadText(page.Key, cancellationToken));
            }
            catch (MalformedPageException exception)
            {
                throw new MalformedPageException($"Page {i + 1} of {manifestKey} ({page.Key}): {exception.Message}");
            }
        }
        var latestDay = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(1);
        var days = new Dictionary<(string Kind, string Message, DateOnly Day), EmailMessageDay>();
        foreach (var day in parser.Days())
        {
            if (day.Day > latestDay) parser.Rejected.Add($"{day.Kind} {day.MessageId}: {day.Day:yyyy-MM-dd} is after {latestDay:yyyy-MM-dd}");
            else days[(day.Kind, day.MessageId, day.Day)] = day;
        }
        var messages = parser.Messages().ToList();
        foreach (var reason in parser.Rejected) logger.LogWarning("Left out of {Key}: {Reason}", manifestKey, reason);
        var account = parser.AccountId ?? manifest.Account;
        var currency = parser.CurrencyCode!;
        var since = manifest.Since ?? (days.Count > 0 ? days.Keys.Min(k => k.Day) : DateOnly.FromDateTime(manifest.ArchivedAt.UtcDateTime));
        var until = manifest.Until ?? (days.Count > 0 ? days.Keys.Max(k => k.Day) : since);
        DateOnly? first = days.Count > 0 ? days.Keys.Min(k => k.Day) : null, last = days.Count > 0 ? days.Keys.Max(k => k.Day) : null;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await AdvisoryLock.TakeForTransaction(connection, transaction, $"marketing-load:{shop}:{MarketingSources.Klaviyo}", cancellationToken);
        await Execute(connection, "DELETE FROM transform.email_message_day WHERE shop_domain = @shop AND day = ANY(@days)", p =>
        {
            p.AddWithValue("shop", shop);
            p.AddWithValue("days", (manifest.Partial ? WholeDays(manifest) : Days(since, until)).ToArray());
        }, cancellationToken);
        var rows = days.Values.ToList();
        await Execute(connection, """
            INSERT INTO transform.email_message_day (shop_domain, kind, message_id, day, account_id, currency_code, recipients, delivered, opens, clicks,
                unsubscribes, bounces, conversions, revenue_minor, source_run_id, manifest_key)
            SELECT @shop, r.kind, r.message_id, r.day, @account, @currency, r.recipients, r.delivered, r.opens, r.clicks, r.unsubscribes, r.bounces,
                   r.conversions, r.revenue_minor, @run, @key
            FROM unnest(@kind, @message, @day, @recipients, @delivered, @opens, @clicks, @unsubscribes, @bounces, @conversions, @revenue)
                 AS r(kind, message_id, day, recipients, delivered, opens, clicks, unsubscribes, bounces, conversions, revenue_minor)
            ON CONFLICT (shop_domain, kind, message_id, day) DO UPDATE SET account_id = EXCLUDED.account_id, currency_code = EXCLUDED.currency_code,
                recipients = EXCLUDED.recipients, delivered = EXCLUDED.delivered, opens = EXCLUDED.opens, clicks = EXCLUDED.clicks,
                unsubscribes = EXCLUDED.unsubscribes, bounces = EXCLUDED.bounces, conversions = EXCLUDED.conversions,
                revenue_minor = EXCLUDED.revenue_minor, source_run_id = EXCLUDED.source_run_id, manifest_key = EXCLUDED.manifest_key
            """, p =>
        {
            p.AddWithValue("shop", shop);
            p.AddWithValue("account", account);
            p.AddWithValue("currency", currency);
            p.AddWithValue("run", runId);
            p.AddWithValue("key", manifestKey);
            p.AddWithValue("kind", rows.Select(r => r.Kind).ToArray());
            p.AddWithValue("message", rows.Select(r => r.MessageId).ToArray());
            p.AddWithValue("day", rows.Select(r => r.Day).ToArray());
            p.AddWithValue("recipients", rows.Select(r => r.Recipients).ToArray());
            p.AddWithValue("delivered", rows.Select(r => r.Delivered).ToArray());
            p.AddWithValue("opens", rows.Select(r => r.Opens).ToArray());
            p.AddWithValue("clicks", rows.Select(r => r.Clicks).ToArray());
            p.AddWithValue("unsubscribes", rows.Select(r => r.Unsubscribes).ToArray());
            p.AddWithValue("bounces", rows.Select(r => r.Bounces).ToArray());
            p.AddWithValue("conversions", rows.Select(r => r.Conversions).ToArray());
            p.AddWithValue("revenue", rows.Select(r => r.RevenueMinor).ToArray());
        }, cancellationToken);
        await Execute(connection, """
            INSERT INTO transform.email_message (shop_domain, kind, message_id, account_id, parent_id, parent_name, message_name, transactional)
            SELECT @shop, r.kind, r.message_id, @account, r.parent_id, r.parent_name, r.message_name, r.transactional
            FROM unnest(@kind, @message, @parent, @parent_name, @message_name, @transactional)
                 AS r(kind, message_id, parent_id, parent_name, message_name, transactional)
            ON CONFLICT (shop_domain, kind, message_id) DO UPDATE SET account_id = EXCLUDED.account_id, parent_id = EXCLUDED.parent_id,
                parent_name = COALESCE(EXCLUDED.parent_name, transform.email_message.parent_name),
                message_name = COALESCE(EXCLUDED.message_name, transform.email_message.message_name), transactional = EXCLUDED.transactional,
                updated_at = now()
            """, p =>
        {
            p.AddWithValue("shop", shop);
            p.AddWithValue("account", account);
            p.AddWithValue("kind", messages.Select(m => m.Kind).ToArray());
            p.AddWithValue("message", messages.Select(m => m.MessageId).ToArray());
            p.AddWithValue("parent", messages.Select(m => m.ParentId).ToArray());
            p.Add(new NpgsqlParameter<string?[]>("parent_name", NpgsqlDbType.Array | NpgsqlDbType.Text)
            {
                TypedValue = messages.Select(m => m.ParentName).ToArray(),
            });
            p.Add(new NpgsqlParameter<string?[]>("message_name", NpgsqlDbType.Array | NpgsqlDbType.Text)
            {
                TypedValue = messages.Select(m => m.MessageName).ToArray(),
            });
            p.AddWithValue("transactional", messages.Select(m => m.Transactional).ToArray());
        }, cancellationToken);
        await RecordAccount(connection, shop, MarketingSources.Klaviyo, new ReportedAccount(account, currency, parser.TimeZone), cancellationToken);
        await RecordRange(connection, shop, MarketingSources.Klaviyo, since, until, manifestKey, rows.Count, parser.Rejected.Count, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new MarketingLoad(rows.Count, parser.Rejected.Count, since, until, first, last, parser.Rejected.Take(MaxRejectedExamples).ToList());
    }

    /// <summary>An account a load reported, with its currency and (when the source says) its time zone.</summary>
    private static Task RecordAccount(NpgsqlConnection connection, string shop, string source, ReportedAccount account,
        CancellationToken cancellationToken) =>
        Execute(connection, """
            INSERT INTO transform.marketing_account (shop_domain, source, account_id, currency_code, time_zone)
            VALUES (@shop, @source, @account, @currency, @tz)
            ON CONFLICT (shop_domain, source, account_id, currency_code)
            DO UPDATE SET time_zone = COALESCE(EXCLUDED.time_zone, transform.marketing_account.time_zone), seen_at = now()
            """, p =>
        {
            p.AddWithValue("shop", shop);
            p.AddWithValue("source", source);
            p.AddWithValue("account", account.AccountId);
            p.AddWithValue("currency", account.CurrencyCode);
            p.Add(new NpgsqlParameter("tz", NpgsqlDbType.Text) { Value = (object?)account.TimeZone ?? DBNull.Value });
        }, cancellationToken);

    /// <summary>The range a manifest loaded, with its rows and the rows it left out.</summary>
    private static Task RecordRange(NpgsqlConnection connection, string shop, string source, DateOnly since, DateOnly until, string manifestKey, long rows,
        long rejected, CancellationToken cancellationToken) =>
        Execute(connection, """
            INSERT INTO transform.marketing_synced_range (shop_domain, source, since, until, manifest_key, rows, rejected)
            VALUES (@shop, @source, @since, @until, @key, @rows, @rejected)
            ON CONFLICT (shop_domain, source, manifest_key) DO UPDATE SET since = EXCLUDED.since, until = EXCLUDED.until, rows = EXCLUDED.rows,
                rejected = EXCLUDED.rejected, loaded_at = now()
            """, p =>
        {
            p.AddWithValue("shop", shop);
            p.AddWithValue("source", source);
            p.AddWithValue("since", since);
            p.AddWithValue("until", until);
            p.AddWithValue("key", manifestKey);
            p.AddWithValue("rows", rows);
            p.AddWithValue("rejected", rejected);
        }, cancellationToken);

    /// <summary>How many rejected rows a load names with their reasons.</summary>
    public const int MaxRejectedExamples = 5;

    /// <summary>The currency the shop's account is known by from earlier loads (null when none, or more than one).</summary>
    private async Task<string?> KnownCurrency(string shop, string source, string account, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT min(currency_code) FROM transform.marketing_account
            WHERE shop_domain = @shop AND source = @source AND account_id = @account HAVING count(DISTINCT currency_code) = 1
            """);
        command.Parameters.AddWithValue("shop", shop);
        command.Parameters.AddWithValue("source", source);
        command.Parameters.AddWithValue("account", account);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>
    /// The days a partial manifest's pages cover whole: the windows of its pages (each page's own since and until), but the
    /// window the refusal cut, the last one, whose later pages may never have come. Only these days are cleared before
    /// the load; on the others the rows read replace their own (campaign, day) and every other row stays as it was.
    /// </summary>
    public static IEnumerable<DateOnly> WholeDays(MarketingArchiveManifest manifest)
    {
        if (manifest.Pages.Count == 0) return [];
        var cut = (manifest.Pages[^1].Since, manifest.Pages[^1].Until);
        return manifest.Pages
            .Where(p => p.Since is not null && p.Until is not null && (p.Since, p.Until) != cut)
            .SelectMany(p => Days(p.Since!.Value, p.Until!.Value))
            .Distinct()
            .Order();
    }

    /// <summary>Every day from <paramref name="since"/> to <paramref name="until"/>, inclusive.</summary>
    private static IEnumerable<DateOnly> Days(DateOnly since, DateOnly until) =>
        Enumerable.Range(0, Math.Max(0, until.DayNumber - since.DayNumber + 1)).Select(since.AddDays);

    private static Task InsertCampaigns(NpgsqlConnection connection, string shop, string source, Guid runId, string manifestKey, List<AdCampaignDay> rows,
        CancellationToken cancellationToken) =>
        Execute(connection, """
            INSERT INTO transform.ad_campaign_day (shop_domain, source, account_id, campaign_id, day, campaign_name, currency_code, spend_minor, impressions,
                clicks, conversions, conversion_value_minor, source_run_id, manifest_key)
            SELECT @shop, @source, r.* , @run, @key
            FROM unnest(@account, @campaign, @day, @name, @currency, @spend, @impressions, @clicks, @conversions, @value)
                 AS r(account_id, campaign_id, day, campaign_name, currency_code, spend_minor, impressions, clicks, conversions, conversion_value_minor)
            ON CONFLICT (shop_domain, source, campaign_id, day) DO UPDATE SET account_id = EXCLUDED.account_id, campaign_name = EXCLUDED.campaign_name,
                currency_code = EXCLUDED.currency_code, spend_minor = EXCLUDED.spend_minor, impressions = EXCLUDED.impressions, clicks = EXCLUDED.clicks,
                conversions = EXCLUDED.conversions, conversion_value_minor = EXCLUDED.conversion_value_minor, source_run_id = EXCLUDED.source_run_id,
                manifest_key = EXCLUDED.manifest_key
            """, p =>
        {
            p.AddWithValue("shop", shop);
            p.AddWithValue("source", source);
            p.AddWithValue("run", runId);
            p.AddWithValue("key", manifestKey);
            p.AddWithValue("account", rows.Select(r => r.AccountId).ToArray());
            p.AddWithValue("campaign", rows.Select(r => r.CampaignId).ToArray());
            p.AddWithValue("day", rows.Select(r => r.Day).ToArray());
            p.AddWithValue("name", rows.Select(r => r.CampaignName).ToArray());
            p.AddWithValue("currency", rows.Select(r => r.CurrencyCode).ToArray());
            p.AddWithValue("spend", rows.Select(r => r.SpendMinor).ToArray());
            p.AddWithValue("impressions", rows.Select(r => r.Impressions).ToArray());
            p.AddWithValue("clicks", rows.Select(r => r.Clicks).ToArray());
            p.AddWithValue("conversions", rows.Select(r => r.Conversions).ToArray());
            p.AddWithValue("value", rows.Select(r => r.ConversionValueMinor).ToArray());
        }, cancellationToken);

    private static Task InsertTraffic(NpgsqlConnection connection, string shop, Guid runId, string manifestKey, List<TrafficChannelDay> rows,
        CancellationToken cancellationToken) =>
        Execute(connection, """
            INSERT INTO transform.traffic_channel_day (shop_domain, property_id, day, channel_group, currency_code, sessions, users, key_events, revenue_minor,
                source_run_id, manifest_key)
            SELECT @shop, r.*, @run, @key
            FROM unnest(@property, @day, @channel, @currency, @sessions, @users, @events, @revenue)
                 AS r(property_id, day, channel_group, currency_code, sessions, users, key_events, revenue_minor)
            ON CONFLICT (shop_domain, day, channel_group) DO UPDATE SET property_id = EXCLUDED.property_id, currency_code = EXCLUDED.currency_code,
                sessions = EXCLUDED.sessions, users = EXCLUDED.users, key_events = EXCLUDED.key_events, revenue_minor = EXCLUDED.revenue_minor,
                source_run_id = EXCLUDED.source_run_id, manifest_key = EXCLUDED.manifest_key
            """, p =>
        {
            p.AddWithValue("shop", shop);
            p.AddWithValue("run", runId);
            p.AddWithValue("key", manifestKey);
            p.AddWithValue("property", rows.Select(r => r.PropertyId).ToArray());
            p.AddWithValue("day", rows.Select(r => r.Day).ToArray());
            p.AddWithValue("channel", rows.Select(r => r.ChannelGroup).ToArray());
            p.AddWithValue("currency", rows.Select(r => r.CurrencyCode).ToArray());
            p.AddWithValue("sessions", rows.Select(r => r.Sessions).ToArray());
            p.AddWithValue("users", rows.Select(r => r.Users).ToArray());
            p.AddWithValue("events", rows.Select(r => r.KeyEvents).ToArray());
            p.AddWithValue("revenue", rows.Select(r => r.RevenueMinor).ToArray());
        }, cancellationToken);

    private static async Task Execute(NpgsqlConnection connection, string sql, Action<NpgsqlParameterCollection> parameters,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        parameters(command.Parameters);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<T?> Read<T>(string key, CancellationToken cancellationToken)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(await ReadText(key, cancellationToken), JsonSerializerOptions.Web);
        }
        catch (JsonException exception)
        {
            throw new MalformedPageException($"{key} is not a manifest: {exception.Message}");
        }
    }

    private async Task<string> ReadText(string key, CancellationToken cancellationToken)
    {
        await using var stored = await archive.OpenRead(key, cancellationToken);
        using var reader = new StreamReader(stored.Content);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
