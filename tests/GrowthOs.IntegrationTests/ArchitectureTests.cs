using System.Xml.Linq;
using GrowthOs.Testing;
using YamlDotNet.RepresentationModel;

namespace GrowthOs.IntegrationTests;

/// <summary>The layout the system is designed around, held by tests so it cannot drift.</summary>
public sealed class ArchitectureTests
{
    private static readonly string ServicesFolder = Path.Combine(RepositoryPaths.Root, "services");

    public static TheoryData<string> ServiceProjects()
    {
        var data = new TheoryData<string>();
        foreach (var project in Directory.GetFiles(ServicesFolder, "*.csproj", SearchOption.AllDirectories))
            data.Add(Path.GetRelativePath(RepositoryPaths.Root, project));
        return data;
    }

    [Theory]
    [MemberData(nameof(ServiceProjects))]
    public void A_service_references_no_other_service_only_shared_projects(string project)
    {
        var path = Path.Combine(RepositoryPaths.Root, project);
        var references = XDocument.Load(path).Descendants("ProjectReference").Select(r => r.Attribute("Include")!.Value).ToList();
        foreach (var reference in references)
        {
            var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, reference));
            Assert.True(target.StartsWith(Path.Combine(RepositoryPaths.Root, "shared") + Path.DirectorySeparatorChar),
                $"{project} references {reference}; services may reference only projects under shared/.");
        }
    }

    [Fact]
    public void The_contracts_project_references_nothing_but_the_framework()
    {
        var project = XDocument.Load(Path.Combine(RepositoryPaths.Root, "shared", "GrowthOs.Contracts", "GrowthOs.Contracts.csproj"));
        Assert.Empty(project.Descendants("ProjectReference"));
        Assert.Empty(project.Descendants("PackageReference"));
    }

    [Theory]
    [MemberData(nameof(ServiceProjects))]
    public void Every_service_project_has_its_entry_in_docker_compose(string project)
    {
        var compose = LoadCompose();
        var services = (YamlMappingNode)compose.Children[new YamlScalarNode("services")];
        var folder = Path.GetFileName(Path.GetDirectoryName(project))!;
        var entry = services.Children
            .Select(pair => (Name: ((YamlScalarNode)pair.Key).Value, Node: (YamlMappingNode)pair.Value))
            .FirstOrDefault(s => BuildArgument(s.Node, "SERVICE") == folder);
        Assert.True(entry.Node is not null, $"docker-compose.yml has no service built with SERVICE={folder}.");
        Assert.True(Child(entry.Node, "healthcheck") is YamlMappingNode, $"compose service {entry.Name} has no healthcheck.");
    }

    [Fact]
    public void Docker_compose_runs_the_infrastructure_the_services_need()
    {
        var services = (YamlMappingNode)LoadCompose().Children[new YamlScalarNode("services")];
        var images = services.Children.Values.OfType<YamlMappingNode>()
            .Select(s => s.Children.TryGetValue(new YamlScalarNode("image"), out var image) ? ((YamlScalarNode)image).Value : null)
            .OfType<string>()
            .ToList();
        Assert.Contains(images, i => i.StartsWith("postgres:"));
        Assert.Contains(images, i => i.StartsWith("rabbitmq:") && i.Contains("management"));
        Assert.Contains(images, i => i.StartsWith("minio/minio"));
    }

    [Fact]
    public void Docker_compose_sends_every_service_s_traces_and_metrics_to_a_collector_with_jaeger_and_prometheus()
    {
        var services = (YamlMappingNode)LoadCompose().Children[new YamlScalarNode("services")];
        var images = services.Children.Values.OfType<YamlMappingNode>()
            .Select(s => Child(s, "image") is YamlScalarNode image ? image.Value : null)
            .OfType<string>()
            .ToList();
        Assert.Contains(images, i => i.StartsWith("otel/opentelemetry-collector"));
        Assert.Contains(images, i => i.StartsWith("jaegertracing/"));
        Assert.Contains(images, i => i.StartsWith("prom/prometheus"));
        foreach (var (name, service) in services.Children.Select(pair => (((YamlScalarNode)pair.Key).Value, (YamlMappingNode)pair.Value)))
        {
            // A one-shot job started with its own entrypoint (compose's connect) runs a script, not the service.
            if (BuildArgument(service, "SERVICE") is null || Child(service, "entrypoint") is not null) continue;
            Assert.True(Child(service, "environment") is YamlMappingNode environment
                && Child(environment, "OTEL_EXPORTER_OTLP_ENDPOINT") is YamlScalarNode { Value: not null and not "" },
                $"compose service {name} does not export its telemetry (OTEL_EXPORTER_OTLP_ENDPOINT).");
        }
    }

    private static YamlMappingNode LoadCompose()
    {
        using var reader = new StreamReader(Path.Combine(RepositoryPaths.Root, "docker-compose.yml"));
        var yaml = new YamlStream();
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static string? BuildArgument(YamlMappingNode service, string name) =>
        Child(service, "build") is YamlMappingNode build && Child(build, "args") is YamlMappingNode args && Child(args, name) is YamlScalarNode value
            ? value.Value
            : null;

    /// <summary>A key of a mapping, looking through YAML merge keys (<c>&lt;&lt;: *anchor</c>) as Compose does.</summary>
    private static YamlNode? Child(YamlMappingNode node, string key)
    {
        if (node.Children.TryGetValue(new YamlScalarNode(key), out var value)) return value;
        return node.Children.TryGetValue(new YamlScalarNode("<<"), out var merged) && merged is YamlMappingNode mapping ? Child(mapping, key) : null;
    }
}
