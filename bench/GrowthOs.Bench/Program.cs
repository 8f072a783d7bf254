using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using GrowthOs.Connector.Extraction;
using GrowthOs.Connector.Shopify;
using GrowthOs.ServiceDefaults.Storage;
using GrowthOs.Transform.Loading;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

// Extraction benchmark: a Sandbox shop of N orders (default 1,000,000) is extracted the way the Connector does it —
// bulk query, polls, download streamed into a multipart upload — and the archived JSONL is then parsed on one core.
// Prints throughput and the peak memory of the download + archive phase.
var orders = args.SkipWhile(a => a != "--orders").Skip(1).Select(int.Parse).FirstOrDefault(1_000_000);
var root = FindRoot();
var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/')))!;
const string shop = "bench-shop.myshopify.com";
const string token = "shpat_bench_token";
const int days = 180;
var s3Port = int.TryParse(Environment.GetEnvironmentVariable("GROWTHOS_S3_PORT"), out var p) ? p : 55690;

var port = FreePort();
var sandbox = StartSandbox(root, configuration, port, orders / days);
AppDomain.CurrentDomain.ProcessExit += (_, _) =>
{
    if (!sandbox.HasExited) sandbox.Kill(entireProcessTree: true);
};
await WaitUntilReady(port);
Console.WriteLine($"Sandbox shop {shop}: about {orders:N0} orders over {days} days");

var shopify = new ShopifyGraphQlClient(new HttpClient { Timeout = TimeSpan.FromMinutes(5) }, Options.Create(new ShopifyOptions
{
    BaseUrlTemplate = $"http://127.0.0.1:{port}/{{shop}}",
    Shops = [new ShopCredentials { Domain = shop, AccessToken = token }],
}), new ThrottleGate(TimeProvider.System), NullLogger<ShopifyGraphQlClient>.Instance);

var clock = Stopwatch.StartNew();
var operationId = await shopify.RunBulkQuery(shop, BulkQueries.For("orders", DateTimeOffset.UnixEpoch), CancellationToken.None);
BulkOperation operation;
do
{
    await Task.Delay(500);
    operation = await shopify.GetBulkOperation(shop, operationId, CancellationToken.None);
} while (operation.IsRunning);
Console.WriteLine($"Bulk operation {operation.Status} with {operation.ObjectCount:N0} objects ({operation.RootObjectCount:N0} orders) "
    + $"in {clock.Elapsed.TotalSeconds:F1} s");

var s3 = new AmazonS3Client(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config
{
    ServiceURL = $"http://127.0.0.1:{s3Port}", ForcePathStyle = true, AuthenticationRegion = "us-east-1",
    RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED, ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
});
var store = new ObjectStore(s3, Options.Create(new S3Options { Bucket = "growthos-bench" }));
var key = $"bench/{Guid.NewGuid():N}.jsonl";

// Download + archive, as ArchiveBulkOperationResultConsumer does it, with memory sampled throughout.
GC.Collect();
var baseline = Process.GetCurrentProcess().WorkingSet64;
long peak = baseline;
using var sampling = new CancellationTokenSource();
var sampler = Task.Run(async () =>
{
    while (!sampling.IsCancellationRequested)
    {
        peak = Math.Max(peak, Process.GetCurrentProcess().WorkingSet64);
        await Task.Delay(20);
    }
});
clock.Restart();
long bytes, lines;
using (var download = new HttpClient { Timeout = Timeout.InfiniteTimeSpan })
using (var response = await download.GetAsync(operation.Url, HttpCompletionOption.ResponseHeadersRead))
{
    await using var body = await response.Content.ReadAsStreamAsync();
    await using var counting = new LineCountingStream(body);
    bytes = await store.Upload(key, counting, "application/jsonl", CancellationToken.None);
    lines = counting.Lines;
}
var archiveSeconds = clock.Elapsed.TotalSeconds;
sampling.Cancel();
await sampler;
Console.WriteLine($"Download + archive: {lines:N0} lines, {bytes / 1e6:N0} MB in {archiveSeconds:F1} s = {lines / archiveSeconds:N0} lines/s, "
    + $"{bytes / 1e6 / archiveSeconds:N1} MB/s");
Console.WriteLine($"Peak RSS during download + archive: {peak / 1e6:N0} MB (process before the phase: {baseline / 1e6:N0} MB)");

// Parse on one core, from a local copy of the archive, so the figure is the parser's and not the object store's.
var local = Path.Combine(root, ".local", "bench", "orders.jsonl");
Directory.CreateDirectory(Path.GetDirectoryName(local)!);
await using (var archived = await store.OpenRead(key, CancellationToken.None))
await using (var file = File.Create(local))
    await archived.Content.CopyToAsync(file);
await s3.DeleteObjectAsync(store.Bucket, key);

clock.Restart();
var (parsedLines, records) = await Parse(local);
var parseSeconds = clock.Elapsed.TotalSeconds;
Console.WriteLine($"Parse (one core): {parsedLines:N0} lines, {records:N0} records in {parseSeconds:F1} s = {parsedLines / parseSeconds:N0} lines/s, "
    + $"{new FileInfo(local).Length / 1e6 / parseSeconds:N1} MB/s");
File.Delete(local);
return;

static async Task<(long Lines, long Records)> Parse(string path)
{
    await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
    var reader = PipeReader.Create(file, new StreamPipeReaderOptions(bufferSize: 1 << 20));
    long lineNumber = 0, records = 0;
    while (true)
    {
        var read = await reader.ReadAsync();
        var buffer = read.Buffer;
        while (buffer.PositionOf((byte)'\n') is { } end)
        {
            var line = buffer.Slice(0, end);
            lineNumber++;
            var result = line.IsSingleSegment ? BulkLineParser.Parse(line.FirstSpan, lineNumber) : BulkLineParser.Parse(line.ToArray(), lineNumber);
            if (result is not (BulkLineParser.Skipped or BulkLineParser.Rejected)) records++;
            buffer = buffer.Slice(buffer.GetPosition(1, end));
        }
        if (read.IsCompleted) break;
        reader.AdvanceTo(buffer.Start, buffer.End);
    }
    await reader.CompleteAsync();
    return (lineNumber, records);
}

static Process StartSandbox(string root, string configuration, int port, int ordersPerDay)
{
    var dll = Path.Combine(root, "services", "Sandbox", "bin", configuration, "net10.0", "GrowthOs.Sandbox.dll");
    var info = new ProcessStartInfo("dotnet", [dll])
    {
        WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true,
    };
    info.Environment["Urls"] = $"http://127.0.0.1:{port}";
    info.Environment["Sandbox__BulkOperationDurationMilliseconds"] = "0";
    info.Environment["Sandbox__Shops__0__Domain"] = shop;
    info.Environment["Sandbox__Shops__0__AccessToken"] = token;
    info.Environment["Sandbox__Shops__0__Days"] = days.ToString();
    info.Environment["Sandbox__Shops__0__OrdersPerDay"] = ordersPerDay.ToString();
    info.Environment["Serilog__MinimumLevel__Default"] = "Warning";
    var process = Process.Start(info)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, _) => { };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}

static async Task WaitUntilReady(int port)
{
    using var http = new HttpClient();
    for (var i = 0; i < 200; i++)
    {
        try
        {
            if ((await http.GetAsync($"http://127.0.0.1:{port}/health/live")).IsSuccessStatusCode) return;
        }
        catch (HttpRequestException)
        {
        }
        await Task.Delay(100);
    }
    throw new TimeoutException("The Sandbox did not start.");
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "GrowthOs.Services.sln"))) return dir.FullName;
    throw new InvalidOperationException("GrowthOs.Services.sln not found above the benchmark.");
}
