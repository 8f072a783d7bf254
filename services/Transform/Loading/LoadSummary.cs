using System.Buffers;
using System.ComponentModel.DataAnnotations;
using System.IO.Pipelines;
using GrowthOs.ServiceDefaults.Storage;
using Microsoft.Extensions.Options;
using Npgsql;

namespace GrowthOs.Transform.Loading;

public sealed record LoadSummary(long Orders, long LineItems, long Rejected, long Lines, DateTimeOffset? MaxUpdatedAt, DateOnly? FirstOrderDate, DateOnly? LastOrderDate,
    long Records = 0);
