using System.Text.Json;
using GrowthOs.Connector.Ga4;
using GrowthOs.Connector.GoogleAds;
using GrowthOs.Connector.Meta;
using GrowthOs.Connector.Shopify;
using GrowthOs.Contracts.Connections;
using GrowthOs.Contracts.Marketing;
using GrowthOs.ServiceDefaults.Privacy;
using GrowthOs.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Connector.Connections;

/// <summary>What one service answered it removed for a purge.</summary>
public sealed record PurgeAnswer(string Service, DateTimeOffset AnsweredAt, IReadOnlyDictionary<string, long> Removed);
