using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Amazon.Runtime;
using Amazon.S3;
using GrowthOs.Connector.Extraction;
using GrowthOs.Contracts.Extraction;
using GrowthOs.Sandbox.DemoData;
using GrowthOs.Sandbox.Shopify;
using GrowthOs.ServiceDefaults.Persistence;
using GrowthOs.ServiceDefaults.Privacy;
using GrowthOs.ServiceDefaults.Storage;
using GrowthOs.Transform.Loading;
using GrowthOs.Transform.Marts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

// Transform benchmark: the Sandbox's shop of N orders (default 1,000,000) is written as bulk JSONL, then parsed and
// upserted the way the Transform service does it, beside (a) a raw binary COPY of the same rows into unindexed tables,
// the limit, and (b) a plain EF Core SaveChanges loop over a 50,000-row sample. Then every mart of that shop, and every
// pipeline of the demo shop, is refreshed and timed.
var orders = args.SkipWhile(a => a != "--orders").Skip(1).Select(int.Parse).FirstOrDefault(1_000_000);
var rounds = args.SkipWhile(a => a != "--rounds").Skip(1).Select(int.Parse).FirstOrDefault(3);
// SQL run on the benchmark's database once its schema is made: what a change would save, measured by undoing a part of
// the schema (--setup-sql "DROP INDEX transform.order_header_customer").
var setupSql = args.SkipWhile(a => a != "--setup-sql").Skip(1).FirstOrDefault();
var root = FindRoot();
var work = Path.Combine(root, ".local", "bench");
Directory.CreateDirectory(work);
var pgPort = int.TryParse(Environment.GetEnvironmentVariable("GROWTHOS_PG_PORT"), out var pg) ? pg : 55432;
var s3Port = int.TryParse(Environment.GetEnvironmentVariable("GROWTHOS_S3_PORT"), out var s3p) ? s3p : 55690;
var database = $"growthos_bench_{Guid.NewGuid():N}"[..28];
var admin = $"Host=127.0.0.1;Port={pgPort};Username=postgres;Database=postgres";
await Execute(admin, $"CREATE DATABASE {database}");
try
{
    await using var dataSource = NpgsqlDataSource.Create($"Host=127.0.0.1;Port={pgPort};Username=postgres;Database={database};Include Error Detail=true");
    await new SchemaMigrator(dataSource, new SchemaMigrations("transform", typeof(OrderUpserter).Assembly), NullLogger<SchemaMigrator>.Instance)
        .StartAsync(CancellationToken.None);
    if (setupSql is not null)
    {
        Console.WriteLine($"Setup: {setupSql}");
        await Execute(dataSource, setupSql);
    }
    var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);

    var big = new DemoShop(
        new SandboxShop { Domain = "bench-shop.myshopify.com", AccessToken = "-", Seed = 42, Days = 180, OrdersPerDay = orders / 180 }, yesterday);
    var files = await WriteShop(big, work);
    Console.WriteLine($"Shop {big.Domain}: {big.TotalOrders:N0} orders over 180 days, {new FileInfo(files.Orders).Length / 1e6:N0} MB of order JSONL");

    // Parse + upsert, as the Transform service loads a backfill (20,000 records a transaction).
    var loader = new BulkFileLoader(new OrderUpserter(dataSource), dataSource, Options.Create(new UpsertOptions { ChunkSize = 20_000 }), TimeProvider.System,
        NullLogger<BulkFileLoader>.Instance);
    await Execute(dataSource, "CREATE TABLE transform.raw_order (LIKE transform.order_header INCLUDING DEFAULTS); "
        + "CREATE TABLE transform.raw_line_item (LIKE transform.order_line_item INCLUDING DEFAULTS)");

    // Warm-up: a small shop through both timed paths first. The service runs for days; what is timed is its steady
    // state, not the just-in-time compiler's first seconds, and neither path pays for that compilation.
    var warmUp = new DemoShop(new SandboxShop { Domain = "warm-up.myshopify.com", AccessToken = "-", Seed = 7, Days = 180, OrdersPerDay = 200 }, yesterday);
    var warmUpFiles = await WriteShop(warmUp, work);
    await using (var file = File.OpenRead(warmUpFiles.Orders))
        await loader.Load(file, warmUp.Domain, Guid.NewGuid(), "warm-up-orders", CancellationToken.None);
    await RawCopy(dataSource, warmUpFiles.Orders);
    foreach (var path in new[] { warmUpFiles.Orders, warmUpFiles.Products, warmUpFiles.Inventory, warmUpFiles.Customers }) File.Delete(path);

    // rounds of the upsert, then the raw COPY, each into emptied tables: this machine's speed drifts from minute to minute,
    // and the medians of the rounds are the figures.
    var upserts = new List<double>();
    var copies = new List<double>();
    // Where each path's processor time goes: this process (parsing, and writing the COPY rows) or PostgreSQL's.
    var upsertCpu = new List<(double Own, double Postgres)>();
    var copyCpu = new List<(double Own, double Postgres)>();
    LoadSummary summary = null!;
    long copied = 0;
    for (var round = 1; round <= rounds; round++)
    {
        await Execute(dataSource, """
            TRUNCATE transform.order_header, transform.order_line_item, transform.order_refund, transform.order_fulfillment,
                transform.commerce_event_outbox, transform.upsert_progress, transform.rejected_record, transform.raw_order, transform.raw_line_item
            """);
        var clock = Stopwatch.StartNew();
        var cpu = ProcessorTime.Now();
        await using (var file = File.OpenRead(files.Orders))
            summary = await loader.Load(file, big.Domain, Guid.NewGuid(), "bench-orders", CancellationToken.None);
        upserts.Add(clock.Elapsed.TotalSeconds);
        upsertCpu.Add(ProcessorTime.Since(cpu));
        // (a) The limit: the same rows parsed the same way and COPYed into tables without a key or an index.
        clock.Restart();
        cpu = ProcessorTime.Now();
        copied = await RawCopy(dataSource, files.Orders);
        copies.Add(clock.Elapsed.TotalSeconds);
        copyCpu.Add(ProcessorTime.Since(cpu));
        Console.WriteLine($"  round {round}: parse + upsert {upserts[^1]:F1} s, raw COPY {copies[^1]:F1} s");
    }
    var objects = summary.Orders + summary.LineItems;
    var upsertSeconds = Median(upserts);
    var copySeconds = Median(copies);
    Console.WriteLine($"Parse + upsert: {summary.Orders:N0} orders + {summary.LineItems:N0} line items = {objects:N0} objects in {upsertSeconds:F1} s = "
        + $"{objects / upsertSeconds:N0} objects/s (median of {rounds})");
    Console.WriteLine($"(a) Raw binary COPY, unindexed: {copied:N0} objects in {copySeconds:F1} s = {copied / copySeconds:N0} objects/s (median of {rounds}); "
        + $"the upsert reaches {copySeconds / upsertSeconds * 100:F0} % of its rate");
    foreach (var (path, times) in new[] { ("parse + upsert", upsertCpu), ("raw COPY", copyCpu) })
        Console.WriteLine($"    processor time of {path}: this process {Median([.. times.Select(t => t.Own)]):F1} s, "
            + $"PostgreSQL {Median([.. times.Select(t => t.Postgres)]):F1} s (medians)");

    // (b) What a naive implementation gets: EF Core, one SaveChanges a row, over a 50,000-row sample.
    var (efRows, efSeconds) = await EfBaseline(dataSource, files.Orders, 50_000, saveEvery: 1_000);
    Console.WriteLine($"(b) EF Core, Add and SaveChanges every 1,000 rows: {efRows:N0} rows in {efSeconds:F1} s = {efRows / efSeconds:N0} rows/s");
    var (eachRows, eachSeconds) = await EfBaseline(dataSource, files.Orders, 1_000, saveEvery: 1, skip: 50_000);
    Console.WriteLine($"    EF Core, SaveChanges after every row: {eachRows:N0} rows in {eachSeconds:F1} s = {eachRows / eachSeconds:N0} rows/s");

    foreach (var (path, key) in new[] { (files.Products, "bench-products"), (files.Inventory, "bench-inventory"), (files.Customers, "bench-customers") })
        await using (var file = File.OpenRead(path))
            await loader.Load(file, big.Domain, Guid.NewGuid(), key, CancellationToken.None);

    var s3 = new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config
    {
        ServiceURL = $"http://127.0.0.1:{s3Port}", ForcePathStyle = true, AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED, ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });
    var store = new ObjectStore(s3, Options.Create(new S3Options { Bucket = "growthos-bench" }));
    await store.EnsureBucket(CancellationToken.None);
    var pipelines = Pipelines(dataSource, store);

    Console.WriteLine($"Every mart of {big.Domain}, its 180 days:");
    await TimeEveryPipeline(pipelines, big.Domain, big.FirstDay, yesterday);
    var demo = new DemoShop(new SandboxShop { Domain = "demo-shop.myshopify.com", AccessToken = "-", Seed = 42, Days = 180, OrdersPerDay = 30 }, yesterday);
    var demoFiles = await WriteShop(demo, work);
    foreach (var path in new[] { demoFiles.Orders, demoFiles.Products, demoFiles.Inventory, demoFiles.Customers })
        await using (var file = File.OpenRead(path))
            await loader.Load(file, demo.Domain, Guid.NewGuid(), Path.GetFileName(path), CancellationToken.None);
    Console.WriteLine($"Every pipeline of {demo.Domain} ({demo.TotalOrders:N0} orders), its 180 days:");
    await TimeEveryPipeline(pipelines, demo.Domain, demo.FirstDay, yesterday);

    Console.WriteLine($"{big.Domain}, the refresh after a sync as the service runs it:");
    // The large shop's refresh after its first sync as the Transform service runs it (RefreshMartsConsumer): the marts
    // side by side, then the checks, whose reads share their connections; the rolling 30 days are every shop's, rebuilt
    // weekly, apart.
    for (var round = 1; round <= 2; round++)
    {
        // The first round finds the shop's marts empty, as a first sync does; the second replaces every fact.
        if (round == 1)
            foreach (var table in new[] { "fact_order_line", "fact_daily_sales" })
            {
                await Execute(dataSource, $"DELETE FROM transform.{table} WHERE shop_key = "
                    + $"(SELECT shop_key FROM transform.dim_shop WHERE shop_domain = '{big.Domain}')");
                await Execute(dataSource, $"VACUUM ANALYZE transform.{table}");
            }
        var clock = Stopwatch.StartNew();
        await pipelines.AfterSync(Guid.NewGuid(), big.Domain, big.FirstDay, yesterday, CancellationToken.None);
        var marts = clock.Elapsed.TotalSeconds;
        await pipelines.CheckedDataQuality(Guid.NewGuid(), big.Domain, big.FirstDay, yesterday, CancellationToken.None);
        Console.WriteLine($"  {(round == 1 ? "after a first sync" : "again, every fact replaced")}, as the service refreshes: "
            + $"the marts side by side {marts:F1} s, "
            + $"then the checks {clock.Elapsed.TotalSeconds - marts:F1} s: {clock.Elapsed.TotalSeconds:F1} s all together");
    }
    // What the replaced facts left behind is autovacuum's to clear, as it would be in a deployment before the next reads.
    foreach (var table in new[] { "fact_order_line", "fact_daily_sales" }) await Execute(dataSource, $"VACUUM ANALYZE transform.{table}");

    Console.WriteLine("The profit and cohort reads (GET /api/profit, /api/cohorts without HTTP), medians of 3:");
    await TimeReads(dataSource, big.Domain, big.FirstDay, yesterday);
    await TimeReads(dataSource, demo.Domain, demo.FirstDay, yesterday);

    foreach (var path in new[] { files.Orders, files.Products, files.Inventory, files.Customers,
        demoFiles.Orders, demoFiles.Products, demoFiles.Inventory, demoFiles.Customers })
        File.Delete(path);
}
finally
{
    NpgsqlConnection.ClearAllPools();
    if (Environment.GetEnvironmentVariable("KEEP") == "1") Console.WriteLine($"kept {database}");
    else await Execute(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
}
return;

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

static async Task TimeReads(NpgsqlDataSource dataSource, string shop, DateOnly first, DateOnly last)
{
    static async Task<double> MedianOf3(Func<Task> read)
    {
        var times = new List<double>();
        for (var round = 0; round < 3; round++)
        {
            var clock = Stopwatch.StartNew();
            await read();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return Median(times);
    }

    foreach (var days in new[] { 7, 30, 180 })
    {
        var from = last.AddDays(1 - days) < first ? first : last.AddDays(1 - days);
        var profit = await MedianOf3(() => GrowthOs.Transform.Api.ProfitReader.Read(dataSource, shop, from, last, CancellationToken.None));
        Console.WriteLine($"  {shop} profit, {days,3} days: {profit,7:N0} ms");
    }
    var cohortsFrom = new DateOnly(first.Year, first.Month, 1);
    var cohorts = await MedianOf3(() => GrowthOs.Transform.Api.CohortReader.Read(dataSource, shop, cohortsFrom, last, last.AddDays(1), "none", null,
        null, CancellationToken.None));
    Console.WriteLine($"  {shop} cohorts, {last.DayNumber - cohortsFrom.DayNumber + 1} days: {cohorts,7:N0} ms");
}

static async Task TimeEveryPipeline(PipelineRunner pipelines, string shop, DateOnly from, DateOnly to)
{
    long total = 0;
    foreach (var pipeline in PipelineRunner.All)
    {
        // The single-day pipelines run for today, as after a sync; the others over the whole history.
        var single = pipeline is GrowthOs.Transform.Marts.Pipelines.InventorySnapshot or GrowthOs.Transform.Marts.Pipelines.CustomerSegmentation
            or GrowthOs.Transform.Marts.Pipelines.Measurements;
        var today = pipelines.Today(shop);
        var result = (await pipelines.Run(null, pipeline, shop, single ? today : from, single ? today : to, CancellationToken.None)).Single();
        total += result.Milliseconds;
        Console.WriteLine($"  {result.Pipeline,-22} {result.Milliseconds,7:N0} ms  {result.Rows,10:N0} rows");
    }
    Console.WriteLine($"  {"all",-22} {total,7:N0} ms");
}

static PipelineRunner Pipelines(NpgsqlDataSource dataSource, ObjectStore store)
{
    var options = Options.Create(new MartsOptions());
    var clock = TimeProvider.System;
    return new PipelineRunner(new EtlExecutionLog(dataSource, clock), new DailySalesRefresher(dataSource, options),
        new StarSchemaRefresher(dataSource, options), new InventorySnapshotRefresher(dataSource, options), new CustomerSegmentRefresher(dataSource, options),
        new UsageDailyRefresher(dataSource, options, clock), new Rolling30dRefresher(dataSource, clock), new MeasurementRefresher(dataSource, store),
        new DataQualityRunner(dataSource, options, clock), dataSource, options, clock, NullLogger<PipelineRunner>.Instance);
}

static async Task<(string Orders, string Products, string Inventory, string Customers)> WriteShop(DemoShop shop, string directory)
{
    var prefix = Path.Combine(directory, shop.Domain);
    var files = ($"{prefix}.orders.jsonl", $"{prefix}.products.jsonl", $"{prefix}.inventory.jsonl", $"{prefix}.customers.jsonl");
    await WriteEntity(shop, Entities.Orders, files.Item1);
    await WriteEntity(shop, Entities.Products, files.Item2);
    await WriteEntity(shop, Entities.Inventory, files.Item3);
    await WriteEntity(shop, Entities.Customers, files.Item4);
    return files;
}

// Each file is what the Sandbox answers to the Connector's own bulk query, and the archive holds customers' e-mail
// hashed as the Connector hashes it, so the benchmark's files are the archive's.
static async Task WriteEntity(DemoShop shop, string entity, string path)
{
    var query = BulkQueries.For(entity, null, null, null);
    var raw = path + ".raw";
    await using (var file = File.Create(raw))
        await BulkResults.WriteFile(shop, "2026-01", query, file, shuffleSeed: 42, keep: null, CancellationToken.None);
    await using (var source = File.OpenRead(raw))
    await using (var hashed = PersonalDataHashing.Hashed(source, CancellationToken.None))
    await using (var file = File.Create(path))
        await hashed.CopyToAsync(file);
    File.Delete(raw);
}

static async Task<long> RawCopy(NpgsqlDataSource dataSource, string path)
{
    await using var orderConnection = await dataSource.OpenConnectionAsync();
    await using var lineConnection = await dataSource.OpenConnectionAsync();
    await using var ordersCopy = await orderConnection.BeginBinaryImportAsync(
        "COPY transform.raw_order (shop_domain, order_id, name, created_at, updated_at, currency_code, presentment_currency_code, is_test, "
        + "subtotal_minor, total_minor, total_discounts_minor, total_tax_minor, total_shipping_minor, total_refunded_minor, total_presentment_minor, "
        + "source_run_id) FROM STDIN (FORMAT BINARY)");
    await using var linesCopy = await lineConnection.BeginBinaryImportAsync(
        "COPY transform.raw_line_item (shop_domain, line_item_id, order_id, sku, title, quantity, current_quantity, unit_price_minor, total_discount_minor, "
        + "currency_code, source_run_id) FROM STDIN (FORMAT BINARY)");
    var run = Guid.NewGuid();
    long rows = 0;
    await ForEachLine(path, async result =>
    {
        switch (result)
        {
            case BulkLineParser.Order { Record: var o }:
                ordersCopy.StartRow();
                ordersCopy.Write("bench-shop.myshopify.com", NpgsqlDbType.Text);
                ordersCopy.Write(o.OrderId, NpgsqlDbType.Bigint);
                ordersCopy.Write(o.Name, NpgsqlDbType.Text);
                ordersCopy.Write(o.CreatedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
                ordersCopy.Write(o.UpdatedAt.UtcDateTime, NpgsqlDbType.TimestampTz);
                ordersCopy.Write(o.CurrencyCode, NpgsqlDbType.Text);
                ordersCopy.Write(o.PresentmentCurrencyCode, NpgsqlDbType.Text);
                ordersCopy.Write(o.IsTest, NpgsqlDbType.Boolean);
                foreach (var amount in new[] { o.SubtotalMinor, o.TotalMinor, o.TotalDiscountsMinor, o.TotalTaxMinor, o.TotalShippingMinor,
                    o.TotalRefundedMinor, o.TotalPresentmentMinor })
                    ordersCopy.Write(amount, NpgsqlDbType.Bigint);
                ordersCopy.Write(run, NpgsqlDbType.Uuid);
                rows++;
                break;
            case BulkLineParser.LineItem { Record: var l }:
                linesCopy.StartRow();
                linesCopy.Write("bench-shop.myshopify.com", NpgsqlDbType.Text);
                linesCopy.Write(l.LineItemId, NpgsqlDbType.Bigint);
                linesCopy.Write(l.OrderId, NpgsqlDbType.Bigint);
                if (l.Sku is null) linesCopy.WriteNull(); else linesCopy.Write(l.Sku, NpgsqlDbType.Text);
                linesCopy.Write(l.Title, NpgsqlDbType.Text);
                linesCopy.Write(l.Quantity, NpgsqlDbType.Integer);
                linesCopy.Write(l.CurrentQuantity, NpgsqlDbType.Integer);
                linesCopy.Write(l.UnitPriceMinor, NpgsqlDbType.Bigint);
                linesCopy.Write(l.TotalDiscountMinor, NpgsqlDbType.Bigint);
                linesCopy.Write(l.CurrencyCode, NpgsqlDbType.Text);
                linesCopy.Write(run, NpgsqlDbType.Uuid);
                rows++;
                break;
        }
    });
    await ordersCopy.CompleteAsync();
    await linesCopy.CompleteAsync();
    return rows;
}

static async Task<(long Rows, double Seconds)> EfBaseline(NpgsqlDataSource dataSource, string path, int sample, int saveEvery, int skip = 0)
{
    if (skip == 0) await Execute(dataSource, """
        CREATE TABLE transform.ef_order (order_id bigint PRIMARY KEY, name text, created_at timestamptz, updated_at timestamptz, currency_code text,
            total_minor bigint);
        CREATE TABLE transform.ef_line_item (line_item_id bigint PRIMARY KEY, order_id bigint, sku text, title text, quantity int, unit_price_minor bigint);
        """);
    var rows = new List<object>(sample);
    var seen = 0;
    await ForEachLine(path, result =>
    {
        if (rows.Count >= sample || seen++ < skip) return ValueTask.CompletedTask;
        object? row = result switch
        {
            BulkLineParser.Order { Record: var o } => new EfOrder
            {
                OrderId = o.OrderId, Name = o.Name, CreatedAt = o.CreatedAt.UtcDateTime, UpdatedAt = o.UpdatedAt.UtcDateTime, CurrencyCode = o.CurrencyCode,
                TotalMinor = o.TotalMinor,
            },
            BulkLineParser.LineItem { Record: var l } => new EfLineItem
            {
                LineItemId = l.LineItemId, OrderId = l.OrderId, Sku = l.Sku, Title = l.Title, Quantity = l.Quantity, UnitPriceMinor = l.UnitPriceMinor,
            },
            _ => null,
        };
        if (row is not null) rows.Add(row);
        return ValueTask.CompletedTask;
    });
    await using var db = new EfBench(new DbContextOptionsBuilder<EfBench>().UseNpgsql(dataSource).Options);
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < rows.Count; i++)
    {
        db.Add(rows[i]);
        if ((i + 1) % saveEvery == 0 || i == rows.Count - 1) await db.SaveChangesAsync();
    }
    return (rows.Count, clock.Elapsed.TotalSeconds);
}

static async Task ForEachLine(string path, Func<BulkLineParser.Result, ValueTask> handle)
{
    await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
    var reader = PipeReader.Create(file, new StreamPipeReaderOptions(bufferSize: 1 << 20));
    long lineNumber = 0;
    while (true)
    {
        var read = await reader.ReadAsync();
        var buffer = read.Buffer;
        while (buffer.PositionOf((byte)'\n') is { } end)
        {
            var line = buffer.Slice(0, end);
            var result = line.IsSingleSegment ? BulkLineParser.Parse(line.FirstSpan, ++lineNumber) : BulkLineParser.Parse(line.ToArray(), ++lineNumber);
            await handle(result);
            buffer = buffer.Slice(buffer.GetPosition(1, end));
        }
        if (read.IsCompleted) break;
        reader.AdvanceTo(buffer.Start, buffer.End);
    }
    await reader.CompleteAsync();
}

static async Task Execute(object target, string sql)
{
    if (target is NpgsqlDataSource source)
    {
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
        return;
    }
    await using var connection = new NpgsqlConnection((string)target);
    await connection.OpenAsync();
    await using var admin = new NpgsqlCommand(sql, connection);
    await admin.ExecuteNonQueryAsync();
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "GrowthOs.Services.sln"))) return dir.FullName;
    throw new InvalidOperationException("GrowthOs.Services.sln not found above the benchmark.");
}

sealed class EfOrder
{
    public long OrderId { get; set; }
    public string? Name { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? CurrencyCode { get; set; }
    public long TotalMinor { get; set; }
}

sealed class EfLineItem
{
    public long LineItemId { get; set; }
    public long OrderId { get; set; }
    public string? Sku { get; set; }
    public string? Title { get; set; }
    public int Quantity { get; set; }
    public long UnitPriceMinor { get; set; }
}

sealed class EfBench(DbContextOptions<EfBench> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder model)
    {
        model.HasDefaultSchema("transform");
        model.Entity<EfOrder>(e =>
        {
            e.ToTable("ef_order").HasKey(x => x.OrderId);
            e.Property(x => x.OrderId).HasColumnName("order_id").ValueGeneratedNever();
            e.Property(x => x.Name).HasColumnName("name");
            e.Property(x => x.CreatedAt).HasColumnName("created_at");
            e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
            e.Property(x => x.CurrencyCode).HasColumnName("currency_code");
            e.Property(x => x.TotalMinor).HasColumnName("total_minor");
        });
        model.Entity<EfLineItem>(e =>
        {
            e.ToTable("ef_line_item").HasKey(x => x.LineItemId);
            e.Property(x => x.LineItemId).HasColumnName("line_item_id").ValueGeneratedNever();
            e.Property(x => x.OrderId).HasColumnName("order_id");
            e.Property(x => x.Sku).HasColumnName("sku");
            e.Property(x => x.Title).HasColumnName("title");
            e.Property(x => x.Quantity).HasColumnName("quantity");
            e.Property(x => x.UnitPriceMinor).HasColumnName("unit_price_minor");
        });
    }
}
