using GrowthOs.Contracts.Connections;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Connector.Connections;

/// <summary>
/// What the registry does in the background, on every replica: checks again the connections a provider left pending
/// (it was down when they were made), fails those whose credential lapsed, sweeps a purge again once its time came, and seals again under the
/// active key every credential sealed under an older one,
/// so a rotated key can be retired without a moment's downtime.
/// </summary>
public sealed class ConnectionMaintenance(
    IServiceScopeFactory scopes, ConnectionRegistry registry, IOptions<ConnectionOptions> options, ILogger<ConnectionMaintenance> logger,
    ShopPurges? purges = null)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(Math.Min(options.Value.RecheckSeconds, 30));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ResealAll(stoppingToken);
                await RecheckPending(stoppingToken);
                await FailLapsed(stoppingToken);
                if (purges is not null) await purges.SweepAgain(stoppingToken);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or CredentialsUnavailableException
                && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Connection upkeep failed; trying again: {Error}", exception.Message);
            }
            await Task.Delay(interval, stoppingToken);
        }
    }

    public async Task<int> ResealAll(CancellationToken cancellationToken)
    {
        var total = 0;
        int resealed;
        while ((resealed = await registry.Reseal(100, cancellationToken)) > 0) total += resealed;
        if (total > 0) logger.LogInformation("Sealed {Count} connections' credentials again under the active key", total);
        return total;
    }

    /// <summary>
    /// Turns failing, saying when and why, each connection whose credential lapsed: a Meta long-lived user token lasts about
    /// 60 days and Meta renews none from a server (only its SDKs do, when the person uses the app); a system user's token
    /// does not lapse.
    /// </summary>
    public async Task<int> FailLapsed(CancellationToken cancellationToken)
    {
        var lapsed = await registry.Lapsed(cancellationToken);
        foreach (var record in lapsed)
        {
            var provider = ConnectionEndpoints.ProviderName(record.Snapshot.Provider);
            await registry.RecordCheck(record.Snapshot.ConnectionId, CheckResult.Refused(
                $"The {provider} token expired at {record.CredentialExpiresAt:u}: {provider} renews no long-lived token from a server. Give a new token "
                + "(PATCH access_token), or a system user's, which does not expire."), cancellationToken);
            logger.LogWarning("Connection {ConnectionId} of {ShopDomain} ({Provider}) is failing: its token expired at {ExpiresAt:o}",
                record.Snapshot.ConnectionId, record.Snapshot.ShopDomain, record.Snapshot.Provider, record.CredentialExpiresAt);
        }
        return lapsed.Count;
    }

    public async Task RecheckPending(CancellationToken cancellationToken)
    {
        var due = await registry.Pending(TimeSpan.FromSeconds(options.Value.RecheckSeconds), cancellationToken);
        if (due.Count == 0) return;
        await using var scope = scopes.CreateAsyncScope();
        var checks = scope.ServiceProvider.GetRequiredService<ConnectionChecks>();
        foreach (var record in due)
        {
            var id = record.Snapshot.ConnectionId;
            if (await registry.CredentialsOf(id, cancellationToken) is not { } credentials) continue;
            var check = await checks.Check(record.Snapshot.Provider, record.Snapshot.Account, credentials, cancellationToken, record.Snapshot.ShopDomain,
                record.Snapshot.LoginCustomerId);
            await registry.RecordCheck(id, check, cancellationToken);
            logger.LogInformation("Connection {ConnectionId} of {ShopDomain} checked again: {Status}", id, record.Snapshot.ShopDomain, check.Status);
            if (check.Status == ConnectionStatuses.Active && record.Snapshot.Provider == ConnectionProviders.Shopify)
                await scope.ServiceProvider.GetRequiredService<ShopWebhooks>().Subscribe(record.Snapshot.Account, cancellationToken);
        }
    }
}
