using System.Text.Json;

namespace GrowthOs.IntegrationTests;

/// <summary>One sync run is one trace, from the gateway's request through every message of the run.</summary>
[Collection(SystemCollection.Name)]
public sealed class TracingTests(RunningSystem system)
{
    [Fact]
    public async Task One_run_is_one_trace_whose_id_is_in_the_logs_of_every_service_it_touched()
    {
        using var http = system.GatewayClient();
        var runId = await system.StartSync(http, RunningSystem.TraceShop);
        var run = await system.WaitForRunToFinish(http, runId);
        Assert.True(run.GetProperty("status").GetString() == "completed", $"run ended {run}");
        var traceId = run.GetProperty("trace_id").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", traceId);

        var logs = new Dictionary<string, IReadOnlyList<JsonElement>>
        {
            ["ApiGateway"] = LogLines("ApiGateway"),
            ["IngestSaga"] = [.. LogLines("IngestSaga"), .. LogLines("IngestSaga-2")],
            ["Connector"] = LogLines("Connector"),
            ["Transform"] = LogLines("Transform"),
        };
        foreach (var (service, lines) in logs)
            Assert.True(lines.Any(line => TraceIdOf(line) == traceId), $"{service} logged nothing with the run's trace id {traceId}.");

        // Every line the run's work wrote; a client reading the run's status makes requests of its own, each its own trace.
        var ofTheRun = logs.Values.SelectMany(lines => lines).Where(line => RunIdOf(line) == runId.ToString() && !IsRead(line)).ToList();
        Assert.NotEmpty(ofTheRun);
        Assert.All(ofTheRun, line => Assert.True(TraceIdOf(line) == traceId, $"a log line of run {runId} has another trace: {line}"));
    }

    [Fact]
    public async Task The_gateway_logs_each_request_with_its_method_path_status_duration_and_run_but_never_the_api_key()
    {
        using var http = system.GatewayClient();
        var runId = await system.StartSync(http, RunningSystem.TraceShop, ["customers"]);

        // Null until the line is written (FirstOrDefault of a JsonElement would give an empty element, not null).
        var request = await Eventually(() => LogLines("ApiGateway").Where(line =>
                line.GetProperty("MessageTemplate").GetString()!.StartsWith("HTTP ") && RunIdOf(line) == runId.ToString())
            .Select(line => (JsonElement?)line).FirstOrDefault());
        var properties = request.GetProperty("Properties");
        Assert.Equal("POST", properties.GetProperty("RequestMethod").GetString());
        Assert.Equal("/api/performance-metrics/sync", properties.GetProperty("RequestPath").GetString());
        Assert.Equal(202, properties.GetProperty("StatusCode").GetInt32());
        Assert.True(properties.GetProperty("Elapsed").GetDouble() > 0);
        Assert.Matches("^[0-9a-f]{32}$", TraceIdOf(request));
        Assert.DoesNotContain(RunningSystem.ApiKey, system.Logs("ApiGateway"));
        await system.WaitForRunToFinish(http, runId);
    }

    private IReadOnlyList<JsonElement> LogLines(string instance)
    {
        var lines = new List<JsonElement>();
        foreach (var line in system.Logs(instance).Split('\n'))
        {
            if (!line.StartsWith('{')) continue;
            try
            {
                lines.Add(JsonDocument.Parse(line).RootElement.Clone());
            }
            catch (JsonException)
            {
                // a line cut by the process's end
            }
        }
        return lines;
    }

    private static bool IsRead(JsonElement line) =>
        line.GetProperty("Properties").TryGetProperty("RequestMethod", out var method) && method.GetString() == "GET";

    private static string? TraceIdOf(JsonElement line) => line.TryGetProperty("TraceId", out var id) ? id.GetString() : null;

    private static string? RunIdOf(JsonElement line) =>
        line.TryGetProperty("Properties", out var properties) && properties.TryGetProperty("RunId", out var id) ? id.ToString() : null;

    private static async Task<JsonElement> Eventually(Func<JsonElement?> find)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            if (find() is { } found) return found;
            await Task.Delay(100);
        }
        throw new TimeoutException("The log line never appeared.");
    }
}
