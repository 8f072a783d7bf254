using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using GrowthOs.ServiceDefaults.Storage;

namespace GrowthOs.IngestSaga.Tests;

/// <summary>An uploaded array of response bodies is read one element at a time, however its bytes arrive.</summary>
public sealed class JsonArrayElementsTests
{
    /// <summary>A reader over <paramref name="text"/> that hands it out <paramref name="chunk"/> bytes at a time, as a slow upload does.</summary>
    private static PipeReader Chunked(string text, int chunk)
    {
        var pipe = new Pipe();
        _ = Task.Run(async () =>
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            for (var i = 0; i < bytes.Length; i += chunk)
            {
                await pipe.Writer.WriteAsync(bytes.AsMemory(i, Math.Min(chunk, bytes.Length - i)));
                await Task.Yield();
            }
            await pipe.Writer.CompleteAsync();
        });
        return pipe.Reader;
    }

    private static async Task<List<string>> Elements(string text, int chunk, int max = 1 << 20)
    {
        var elements = new List<string>();
        await foreach (var element in JsonArrayElements.Read(Chunked(text, chunk), max, CancellationToken.None)) elements.Add(Encoding.UTF8.GetString(element));
        return elements;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task Each_element_comes_whole_and_as_written_whatever_the_chunks(int chunk)
    {
        const string body = """ [ {"data":[{"spend":"1.00"}],"paging":{"cursors":{"after":"a,]}"}}} ,[{"results":[]}], {"rows":[]} ] """;
        Assert.Equal(["""{"data":[{"spend":"1.00"}],"paging":{"cursors":{"after":"a,]}"}}}""", """[{"results":[]}]""", """{"rows":[]}"""],
            await Elements(body, chunk));
        Assert.Empty(await Elements("[ ]", chunk));
    }

    [Fact]
    public async Task An_element_past_the_limit_is_refused_before_it_is_held_whole()
    {
        var huge = "[{\"data\":\"" + new string('x', 100_000);
        var refused = await Assert.ThrowsAsync<JsonBodyException>(() => Elements(huge, 512, max: 4096));
        Assert.Equal("Element 0 is longer than 4096 bytes.", refused.Message);
    }

    [Theory]
    [InlineData("{\"archiveKey\":\"x\"}", "not a JSON array")]
    [InlineData("[{\"a\":1}", "not closed")]
    [InlineData("[{\"a\":1}] [2]", "more after its array")]
    [InlineData("[{\"a\":}]", "Element 0 is not valid JSON")]
    [InlineData("[, {\"a\":1}]", "starts with a comma")]
    public async Task A_body_that_is_not_one_array_is_refused_naming_why(string body, string named) =>
        Assert.Contains(named, (await Assert.ThrowsAsync<JsonBodyException>(() => Elements(body, 3))).Message);

    [Fact]
    public async Task The_kind_of_the_body_is_told_without_reading_it()
    {
        var reader = Chunked("  \n {\"archiveKey\":\"raw/meta/x/manifest.json\"}", 2);
        Assert.Equal(JsonTokenType.StartObject, await JsonArrayElements.Peek(reader, CancellationToken.None));
        using var whole = await JsonArrayElements.ReadWhole(reader, 1024, CancellationToken.None);
        Assert.Equal("raw/meta/x/manifest.json", whole.RootElement.GetProperty("archiveKey").GetString());
    }
}
