using System.ComponentModel.DataAnnotations;

namespace GrowthOs.ServiceDefaults.Storage;

public sealed class S3Options
{
    public const string Section = "S3";

    /// <summary>Endpoint of an S3-compatible service (MinIO, s3rver); empty for AWS itself, where <see cref="Region"/> decides.</summary>
    public string? ServiceUrl { get; set; }

    [Required(ErrorMessage = "S3:Region is required.")]
    public string Region { get; set; } = "us-east-1";

    [Required(ErrorMessage = "S3:Bucket is required.")]
    public string Bucket { get; set; } = "growthos-archive";

    /// <summary>The store's keys: from a secret or the environment, never a default (appsettings.Development.json has the local store's).</summary>
    [Required(ErrorMessage = "S3:AccessKey is required (the object store's keys have no default).")]
    public string AccessKey { get; set; } = "";

    [Required(ErrorMessage = "S3:SecretKey is required (the object store's keys have no default).")]
    public string SecretKey { get; set; } = "";

    public bool ForcePathStyle { get; set; } = true;

    /// <summary>Size of one multipart upload part; S3 requires at least 5 MiB for every part but the last.</summary>
    [Range(5 * 1024 * 1024, 512 * 1024 * 1024, ErrorMessage = "S3:PartSizeBytes must be between 5 MiB and 512 MiB.")]
    public int PartSizeBytes { get; set; } = 8 * 1024 * 1024;
}
