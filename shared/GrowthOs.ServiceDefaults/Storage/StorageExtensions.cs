using Amazon.Runtime;
using Amazon.S3;
using GrowthOs.ServiceDefaults.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace GrowthOs.ServiceDefaults.Storage;

public static class StorageExtensions
{
    /// <summary>The S3 client, the <see cref="ObjectStore"/> over the configured bucket, and a ready check.</summary>
    public static WebApplicationBuilder AddObjectStore(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<S3Options>(S3Options.Section);
        builder.Services.AddSingleton<IAmazonS3>(provider =>
        {
            var options = provider.GetRequiredService<IOptions<S3Options>>().Value;
            var config = new AmazonS3Config
            {
                ForcePathStyle = options.ForcePathStyle,
                RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
                ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            };
            if (string.IsNullOrWhiteSpace(options.ServiceUrl))
                config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
            else
            {
                config.ServiceURL = options.ServiceUrl;
                config.AuthenticationRegion = options.Region;
            }
            return new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
        });
        builder.Services.AddSingleton<ObjectStore>();
        builder.Services.AddHealthChecks().AddCheck<ObjectStoreHealthCheck>("s3", tags: [HostingExtensions.ReadyTag]);
        return builder;
    }
}
