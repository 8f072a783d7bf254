using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace GrowthOs.ServiceDefaults.Security;

/// <summary>Signs a service's own calls to another service behind the gateway, as the service itself (role <c>service</c>).</summary>
public sealed class GatewaySigningHandler(IOptions<GatewayTrustOptions> options, IHostEnvironment environment) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        foreach (var header in GatewaySignature.Headers) request.Headers.Remove(header);
        var body = request.Content is null ? GatewaySignature.EmptyBody
            : Convert.ToHexStringLower(SHA256.HashData(await request.Content.ReadAsByteArrayAsync(cancellationToken)));
        GatewaySignature.Apply((name, value) => request.Headers.TryAddWithoutValidation(name, value), options.Value.Secret, DateTimeOffset.UtcNow,
            request.Method.Method, request.RequestUri?.AbsolutePath ?? "/", QueryHelpers.ParseQuery(request.RequestUri?.Query),
            new GatewayCaller(environment.ApplicationName, GatewayRoles.Service, null, []), body);
        return await base.SendAsync(request, cancellationToken);
    }
}
