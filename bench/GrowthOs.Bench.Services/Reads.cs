using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

/// <summary>
/// The dashboards' reads of one shop through the gateway, as its staff make them: the KPIs, the profit, the cohorts and the
/// sales pulse of ranges from a week to the shop's whole history, each asked <c>--repeat</c> times one after the other
/// (after two unmeasured), with p50, p95 and the longest; then the orders list followed page by page from the newest to
/// the oldest (keyset, 200 a page), its first page (which counts the list: whole, by a status, over 30 days) timed as the
/// other reads are.
/// </summary>
internal static class ReadsBenchmark
{
    public static async Task Run(HttpClient admin, Arguments arguments, string shop)
    {
        var repeat = int.Parse(arguments.Get("repeat", "20"), CultureInfo.InvariantCulture);
        var maxPages = int.Parse(arguments.Get("order-pages", "100000"), CultureInfo.InvariantCulture);
        var shopParameter = Uri.EscapeDataString(shop);
        Console.WriteLine($"Reads of {shop} through the gateway, {repeat} of each, one at a time");
        Console.WriteLine($"{"read",-58} {"p50 ms",8} {"p95 ms",8} {"max ms",8}");
        foreach (var days in new[] { 7, 30, 90, 365 })
            foreach (var path in new[] { "/api/kpis", "/api/profit", "/api/cohorts", "/api/dashboard/sales-pulse" })
                Print($"{path}?days={days}", await Time(admin, $"{path}?shop={shopParameter}&days={days}", repeat));

        // The orders list's first page, which also counts the list (its total): the whole list, a status, the last 30 days.
        var month = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-29).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var filter in new[] { "", "&status=paid", $"&from={month}" })
            Print($"/orders?pageSize=200{filter} (first page, total)", await Time(admin, $"/orders?shop={shopParameter}&pageSize=200{filter}", repeat));

        // Then the list, newest first, every page after the first (up to --order-pages).
        var latencies = new List<double>();
        string? after = null;
        long orders = 0;
        for (var page = 0; page < maxPages; page++)
        {
            var path = $"/orders?shop={shopParameter}&pageSize=200" + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}");
            var started = Stopwatch.GetTimestamp();
            using var answer = await admin.GetAsync(path);
            var body = await answer.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
            if (page > 0) latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            orders += body.GetProperty("items").GetArrayLength();
            after = body.TryGetProperty("next_after", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
            if (after is null) break;
        }
        if (latencies.Count == 0) Console.WriteLine($"/orders: one page ({orders:N0} orders), none after it");
        else Console.WriteLine($"/orders, the {latencies.Count:N0} pages after the first ({orders:N0} orders, "
            + $"200 a page): p50 {Percentiles.Of(latencies, 0.5):F1} ms, p95 {Percentiles.Of(latencies, 0.95):F1} ms, "
            + $"longest {Percentiles.Of(latencies, 1):F1} ms");
    }

    private static async Task<List<double>> Time(HttpClient admin, string path, int repeat)
    {
        for (var warm = 0; warm < 2; warm++)
            (await admin.GetAsync(path)).EnsureSuccessStatusCode();
        var latencies = new List<double>();
        for (var i = 0; i < repeat; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var answer = await admin.GetAsync(path);
            await answer.EnsureSuccessStatusCode().Content.ReadAsByteArrayAsync();
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return latencies;
    }

    private static void Print(string read, List<double> latencies) =>
        Console.WriteLine($"{read,-58} {Percentiles.Of(latencies, 0.5),8:F1} {Percentiles.Of(latencies, 0.95),8:F1} {Percentiles.Of(latencies, 1),8:F1}");
}
