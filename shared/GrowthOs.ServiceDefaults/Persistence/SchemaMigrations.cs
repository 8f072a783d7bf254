using System.Reflection;

namespace GrowthOs.ServiceDefaults.Persistence;

public sealed record SchemaMigrations(string Schema, Assembly Assembly);
