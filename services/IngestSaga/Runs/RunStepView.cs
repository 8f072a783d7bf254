using System.Text.Json;
using System.Text.Json.Serialization;
using GrowthOs.Contracts.Extraction;
using GrowthOs.Contracts.Ingest;
using GrowthOs.Contracts.Transform;
using GrowthOs.IngestSaga.BulkSync;
using GrowthOs.IngestSaga.MarketingSync;
using GrowthOs.IngestSaga.Persistence;
using GrowthOs.IngestSaga.SyncRuns;
using GrowthOs.ServiceDefaults.Hosting;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace GrowthOs.IngestSaga.Runs;

public sealed record RunStepView(string Step, string? Entity, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, long? DurationMs)
{
    public static RunStepView From(StepTiming step) =>
        new(step.Step, step.Entity, step.StartedAt, step.EndedAt, step.EndedAt is { } end ? (long)(end - step.StartedAt).TotalMilliseconds : null);
}
