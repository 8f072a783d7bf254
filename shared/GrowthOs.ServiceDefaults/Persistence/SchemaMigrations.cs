using System.Reflection;
using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace GrowthOs.ServiceDefaults.Persistence;

public sealed record SchemaMigrations(string Schema, Assembly Assembly);
