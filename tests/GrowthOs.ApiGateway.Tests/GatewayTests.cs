using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace GrowthOs.ApiGateway.Tests;

/// <summary>The gateway in-process, proxying over real HTTP to a small downstream service on a loopback port.</summary>
public sealed class GatewayTests : IAsyncLifetime
{
    private const string Key = "gateway-test-key-0123456789abcdef";
    private WebApplication _downstream = null!;
    private WebApplicationFactory<Program> _gateway = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _downstream = builder.Build();
        _downstream.MapGet("/api/ingest/runs", (HttpRequest request) => Results.Json(new { path = request.Path.Value, query = request.QueryString.Value }));
        await _downstream.StartAsync();
        var address = _downstream.Urls.Single();

        _gateway = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseSetting("ApiKeys:Keys:0", Key)
            .UseSetting("ReverseProxy:Clusters:ingest:Destinations:ingest-saga:Address", address + "/"));
    }

    [Fact]
    public async Task A_request_without_a_key_gets_401_with_a_problem_body()
    {
        var response = await _gateway.CreateClient().GetAsync("/api/ingest/runs");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Contains("X-Api-Key", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_request_with_a_wrong_key_gets_401()
    {
        var client = _gateway.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Key + "x");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/ingest/runs")).StatusCode);
    }

    [Fact]
    public async Task A_request_with_a_valid_key_is_proxied_with_its_path_and_query()
    {
        var client = _gateway.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", Key);
        var body = await client.GetFromJsonAsync<JsonElement>("/api/ingest/runs?shop=a&page=2");
        Assert.Equal("/api/ingest/runs", body.GetProperty("path").GetString());
        Assert.Equal("?shop=a&page=2", body.GetProperty("query").GetString());
    }

    [Fact]
    public async Task Health_answers_without_a_key() =>
        Assert.Equal(HttpStatusCode.OK, (await _gateway.CreateClient().GetAsync("/health/live")).StatusCode);

    [Fact]
    public void The_gateway_refuses_to_start_without_an_api_key_and_names_the_setting()
    {
        var exception = StartupFailure(() => new WebApplicationFactory<Program>());
        Assert.Contains("ApiKeys:Keys", exception.Message);
    }

    [Fact]
    public void The_gateway_refuses_a_key_shorter_than_the_minimum()
    {
        var exception = StartupFailure(() => new WebApplicationFactory<Program>().WithWebHostBuilder(web => web.UseSetting("ApiKeys:Keys:0", "short")));
        Assert.Contains("ApiKeys:MinimumLength", exception.Message);
    }

    /// <summary>
    /// The validation error a gateway refuses to start with. WebApplicationFactory starts a minimal-hosting app on a
    /// thread of its own; when the app fails to start, the factory may first ask the already disposed provider for a
    /// service and report that instead (dotnet/aspnetcore#33494). Starting again tells the two apart.
    /// </summary>
    private static OptionsValidationException StartupFailure(Func<WebApplicationFactory<Program>> create)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var factory = create();
            try
            {
                factory.CreateClient();
            }
            catch (OptionsValidationException exception)
            {
                return exception;
            }
            catch (ObjectDisposedException) when (attempt < 5)
            {
                continue;
            }
            throw new Xunit.Sdk.XunitException("The gateway started although its settings are invalid.");
        }
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _downstream.DisposeAsync();
    }
}
