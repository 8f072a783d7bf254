using System.Buffers;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace GrowthOs.ServiceDefaults.Storage;

/// <summary>The configured bucket: streamed uploads in constant memory, streamed reads, appends of small JSONL records.</summary>
public sealed class ObjectStore(IAmazonS3 s3, IOptions<S3Options> options)
{
    private readonly S3Options _options = options.Value;
    private volatile bool _bucketKnown;

    public string Bucket => _options.Bucket;

    public async Task EnsureBucket(CancellationToken cancellationToken)
    {
        if (_bucketKnown) return;
        try
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = _options.Bucket }, cancellationToken);
        }
        catch (AmazonS3Exception exception) when (exception.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }
        _bucketKnown = true;
    }

    /// <summary>
    /// Uploads <paramref name="content"/> of unknown length as a multipart upload, one part buffer at a time, so memory
    /// stays at one part whatever the size. Returns the number of bytes stored.
    /// </summary>
    public async Task<long> Upload(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        await EnsureBucket(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(_options.PartSizeBytes);
        try
        {
            var first = await Fill(content, buffer, _options.PartSizeBytes, cancellationToken);
            if (first < _options.PartSizeBytes)
            {
                await s3.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = _options.Bucket,
                    Key = key,
                    ContentType = contentType,
                    InputStream = new MemoryStream(buffer, 0, first, writable: false),
                    UseChunkEncoding = false,
                }, cancellationToken);
                return first;
            }
            return await UploadMultipart(key, content, contentType, buffer, first, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<long> UploadMultipart(string key, Stream content, string contentType, byte[] buffer, int firstLength,
        CancellationToken cancellationToken)
    {
        var upload = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = _options.Bucket,
            Key = key,
            ContentType = contentType,
        }, cancellationToken);
        var parts = new List<PartETag>();
        long total = 0;
        try
        {
            var length = firstLength;
            while (length > 0)
            {
                var part = await s3.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = _options.Bucket,
                    Key = key,
                    UploadId = upload.UploadId,
                    PartNumber = parts.Count + 1,
                    InputStream = new MemoryStream(buffer, 0, length, writable: false),
                    PartSize = length,
                    UseChunkEncoding = false,
                }, cancellationToken);
                parts.Add(new PartETag(parts.Count + 1, part.ETag));
                total += length;
                length = await Fill(content, buffer, _options.PartSizeBytes, cancellationToken);
            }
            await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _options.Bucket,
                Key = key,
                UploadId = upload.UploadId,
                PartETags = parts,
            }, cancellationToken);
            return total;
        }
        catch
        {
            await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest
            {
                BucketName = _options.Bucket,
                Key = key,
                UploadId = upload.UploadId,
            }, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Opens an archived object for reading, with its size in bytes.</summary>
    public async Task<StoredObject> OpenRead(string key, CancellationToken cancellationToken)
    {
        var response = await s3.GetObjectAsync(_options.Bucket, key, cancellationToken);
        return new StoredObject(response.ResponseStream, response.ContentLength);
    }

    public async Task<bool> Exists(string key, CancellationToken cancellationToken)
    {
        try
        {
            await s3.GetObjectMetadataAsync(_options.Bucket, key, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>The keys of every archived object under <paramref name="prefix"/>, page by page.</summary>
    public async IAsyncEnumerable<string> Keys(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await EnsureBucket(cancellationToken);
        var request = new ListObjectsV2Request { BucketName = _options.Bucket, Prefix = prefix };
        while (true)
        {
            var page = await s3.ListObjectsV2Async(request, cancellationToken);
            foreach (var entry in page.S3Objects ?? []) yield return entry.Key;
            if (page.IsTruncated != true || string.IsNullOrEmpty(page.NextContinuationToken)) yield break;
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    /// <summary>Removes every archived object under <paramref name="prefix"/>; returns how many there were.</summary>
    public async Task<long> DeletePrefix(string prefix, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var key in Keys(prefix, cancellationToken)) keys.Add(key);
        foreach (var key in keys) await s3.DeleteObjectAsync(_options.Bucket, key, cancellationToken);
        return keys.Count;
    }

    /// <summary>Removes one archived object, if it is there; returns whether it was.</summary>
    public async Task<bool> Delete(string key, CancellationToken cancellationToken)
    {
        if (!await Exists(key, cancellationToken)) return false;
        await s3.DeleteObjectAsync(_options.Bucket, key, cancellationToken);
        return true;
    }

    public async Task PutText(string key, string text, string contentType, CancellationToken cancellationToken)
    {
        await EnsureBucket(cancellationToken);
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _options.Bucket,
            Key = key,
            ContentType = contentType,
            ContentBody = text,
            UseChunkEncoding = false,
        }, cancellationToken);
    }

    private static async Task<int> Fill(Stream content, byte[] buffer, int size, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < size)
        {
            var read = await content.ReadAsync(buffer.AsMemory(filled, size - filled), cancellationToken);
            if (read == 0) break;
            filled += read;
        }
        return filled;
    }
}
