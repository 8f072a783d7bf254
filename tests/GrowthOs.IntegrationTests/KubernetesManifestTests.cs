using System.Text.RegularExpressions;
using GrowthOs.Testing;
using YamlDotNet.RepresentationModel;

namespace GrowthOs.IntegrationTests;

/// <summary>The Kubernetes deployment (deploy/k8s, what its kustomization.yaml applies) holds every service to it.</summary>
public sealed class KubernetesManifestTests
{
    private static readonly string ManifestFolder = Path.Combine(RepositoryPaths.Root, "deploy", "k8s");
    private static readonly string[] CredentialSuffixes = ["Password", "AccessKey", "SecretKey", "AccessToken"];
    private static readonly (string Probe, string Path, bool Required)[] Probes =
        [("livenessProbe", "/health/live", true), ("readinessProbe", "/health/ready", true), ("startupProbe", "/health/live", false)];

    /// <summary>A class implementing IConsumer&lt;T&gt;: its name, up to the body, wherever the base list says IConsumer.</summary>
    private static readonly Regex ConsumerClass = new(@"(?<!abstract\s+)\bclass\s+(\w+)[^{;]*?\bIConsumer<", RegexOptions.Compiled);

    public static TheoryData<string> ServiceProjects() => ArchitectureTests.ServiceProjects();

    /// <summary>The services that connect to the bus (all but the gateway and the Sandbox today).</summary>
    public static TheoryData<string> BusServiceProjects()
    {
        var data = new TheoryData<string>();
        foreach (var project in Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "services"), "*.csproj", SearchOption.AllDirectories))
            if (SourceFiles(Folder(project)).Any(file => File.ReadAllText(file).Contains("AddGrowthOsBus(", StringComparison.Ordinal)))
                data.Add(Path.GetRelativePath(RepositoryPaths.Root, project));
        return data;
    }

    [Theory]
    [MemberData(nameof(ServiceProjects))]
    public void Every_service_has_a_deployment_with_live_and_ready_probes(string project)
    {
        var name = ServiceName(project);
        var deployment = Find(Manifests(), "Deployment", name);
        var containers = Containers(deployment).ToList();
        Assert.True(containers.Count > 0, $"Deployment {name} has no container.");
        foreach (var container in containers)
        {
            var listens = Items(container, "ports").Any(port => Text(port, "containerPort") == "8080");
            Assert.True(listens, $"Deployment {name}: its container declares no containerPort 8080, where the service listens (Urls).");
            foreach (var (probe, path, required) in Probes)
            {
                if (!required && Node(container, probe) is null) continue;
                var actual = Text(container, probe, "httpGet", "path");
                Assert.True(actual == path, $"Deployment {name}: its {probe} gets {actual ?? "no HTTP path"}; it must get {path}.");
                var port = Text(container, probe, "httpGet", "port");
                Assert.True(port == "8080", $"Deployment {name}: its {probe} asks port {port ?? "none"}; the service listens on 8080.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(ServiceProjects))]
    public void Every_service_container_has_resource_requests_and_limits(string project)
    {
        var name = ServiceName(project);
        foreach (var container in AllContainers(Find(Manifests(), "Deployment", name)))
            foreach (var section in new[] { "requests", "limits" })
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    var value = Text(container, "resources", section, resource);
                    Assert.True(!string.IsNullOrWhiteSpace(value),
                        $"Deployment {name}: container {Text(container, "name")} has no resources.{section}.{resource}.");
                }
    }

    [Theory]
    [MemberData(nameof(ServiceProjects))]
    public void Every_service_has_a_pod_disruption_budget_selecting_its_pods(string project)
    {
        var name = ServiceName(project);
        var manifests = Manifests();
        var podLabels = Labels(Find(manifests, "Deployment", name), "spec", "template", "metadata", "labels");
        var budgets = OfKind(manifests, "PodDisruptionBudget").Where(budget =>
        {
            var selector = Labels(budget, "spec", "selector", "matchLabels");
            return selector.Count > 0 && selector.All(label => podLabels.TryGetValue(label.Key, out var value) && value == label.Value);
        }).ToList();
        Assert.True(budgets.Count == 1, $"{budgets.Count} PodDisruptionBudgets select the pods of Deployment {name}; it needs exactly one.");
        var bounded = Text(budgets[0], "spec", "minAvailable") is not null || Text(budgets[0], "spec", "maxUnavailable") is not null;
        Assert.True(bounded, $"PodDisruptionBudget {Text(budgets[0], "metadata", "name")} sets neither minAvailable nor maxUnavailable.");
    }

    [Fact]
    public void No_credential_in_the_manifests_is_a_literal()
    {
        var manifests = Manifests();
        foreach (var deployment in OfKind(manifests, "Deployment"))
            foreach (var variable in AllContainers(deployment).SelectMany(container => Items(container, "env")))
            {
                var name = Text(variable, "name") ?? "";
                if (!IsCredential(name)) continue;
                var fromSecret = Node(variable, "valueFrom", "secretKeyRef") is YamlMappingNode && Node(variable, "value") is null;
                Assert.True(fromSecret,
                    $"Deployment {Text(deployment, "metadata", "name")} sets {name} without valueFrom.secretKeyRef; credentials come from a Secret.");
            }
        foreach (var map in OfKind(manifests, "ConfigMap"))
            foreach (var key in Labels(map, "data").Keys)
                Assert.False(IsCredential(key), $"ConfigMap {Text(map, "metadata", "name")} holds {key}, a credential; it belongs in the Secret.");
        var secrets = OfKind(manifests, "Secret").Select(secret => Text(secret, "metadata", "name")).ToList();
        Assert.True(secrets.Count == 0,
            $"kustomization.yaml applies Secret {string.Join(", ", secrets)}; the real one is created with kubectl, only secrets.example.yaml is committed.");
        var passwords = manifests.SelectMany(m => m.AllNodes).OfType<YamlScalarNode>()
            .Where(scalar => scalar.Value?.Contains("Password=", StringComparison.OrdinalIgnoreCase) == true).Select(scalar => scalar.Value).ToList();
        Assert.True(passwords.Count == 0, $"A manifest carries a connection string with its password: {string.Join("; ", passwords)}.");
    }

    [Theory]
    [InlineData("Connector")]
    [InlineData("Transform")]
    public void The_connector_and_the_transform_scale_on_the_depth_of_their_own_queues(string folder)
    {
        var name = KebabCase(folder);
        var manifests = Manifests();
        var expected = ConsumerQueues(folder);
        Assert.True(expected.Count > 0, $"No class in services/{folder} implements IConsumer<T>; the test looks for none to scale on.");
        var scaledObjects = OfKind(manifests, "ScaledObject").Where(s => Text(s, "spec", "scaleTargetRef", "name") == name).ToList();
        Assert.True(scaledObjects.Count == 1, $"{scaledObjects.Count} KEDA ScaledObjects target Deployment {name}; it needs exactly one.");
        var scaledObject = scaledObjects[0];
        var apiVersion = Text(scaledObject, "apiVersion");
        Assert.True(apiVersion == "keda.sh/v1alpha1", $"ScaledObject of {name} is {apiVersion}, not keda.sh/v1alpha1.");
        var triggers = Items(scaledObject, "spec", "triggers").Where(trigger => Text(trigger, "type") == "rabbitmq").ToList();
        foreach (var trigger in triggers)
        {
            var queue = Text(trigger, "metadata", "queueName");
            Assert.True(Text(trigger, "metadata", "mode") == "QueueLength", $"ScaledObject of {name}: the trigger on {queue} does not scale on QueueLength.");
            var authentication = Text(trigger, "authenticationRef", "name");
            var hostFromSecret = OfKind(manifests, "TriggerAuthentication").Where(a => Text(a, "metadata", "name") == authentication)
                .SelectMany(a => Items(a, "spec", "secretTargetRef")).Any(target => Text(target, "parameter") == "host");
            Assert.True(hostFromSecret, $"ScaledObject of {name}: the trigger on {queue} takes its host from no TriggerAuthentication's secretTargetRef.");
        }
        var actual = triggers.Select(trigger => Text(trigger, "metadata", "queueName") ?? "").ToHashSet(StringComparer.Ordinal);
        Assert.True(actual.SetEquals(expected),
            $"ScaledObject of {name} triggers on [{string.Join(", ", actual.Order())}]; the queues of its consumers are [{string.Join(", ", expected)}].");
    }

    [Theory]
    [MemberData(nameof(BusServiceProjects))]
    public void Every_endpoint_uses_quorum_queues(string project)
    {
        var name = ServiceName(project);
        var manifests = Manifests();
        var environment = EnvironmentOf(manifests, Find(manifests, "Deployment", name));
        environment.TryGetValue("RabbitMq__QuorumQueues", out var quorum);
        Assert.True(quorum == "true",
            $"Deployment {name} sets RabbitMq__QuorumQueues to {quorum ?? "nothing"}; every service on the bus declares quorum queues (\"true\").");
    }

    [Fact]
    public void The_kustomization_lists_every_manifest_and_no_example()
    {
        var resources = Resources();
        var files = Directory.GetFiles(ManifestFolder, "*.yaml").Select(f => Path.GetFileName(f)).Where(f => f != "kustomization.yaml");
        foreach (var file in files)
        {
            var listed = resources.Contains(file);
            if (file.EndsWith(".example.yaml", StringComparison.Ordinal))
                Assert.False(listed, $"kustomization.yaml lists {file}; an example is never applied.");
            else if (file.EndsWith("-job.yaml", StringComparison.Ordinal))
                Assert.False(listed, $"kustomization.yaml lists {file}; a one-shot Job is applied on its own, after its Secret.");
            else
                Assert.True(listed, $"deploy/k8s/{file} is not among the resources of kustomization.yaml, so kubectl apply -k leaves it out.");
        }
        foreach (var resource in resources)
            Assert.True(File.Exists(Path.Combine(ManifestFolder, resource)), $"kustomization.yaml lists {resource}, which deploy/k8s does not have.");
    }

    [Fact]
    public void The_connect_job_and_compose_s_connect_service_give_connect_sh_what_it_reads_and_no_token_as_a_literal()
    {
        var script = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "deploy", "connect.sh"));
        var reads = Regex.Matches(script, @"\$\{?((?:CONNECT|GROWTHOS)_[A-Z0-9_]+)").Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("CONNECT_SHOP", reads);

        var job = LoadDocuments(Path.Combine(ManifestFolder, "connect-job.yaml")).Single();
        Assert.Equal("Job", Text(job, "kind"));
        var container = Assert.Single(Items(job, "spec", "template", "spec", "containers"));
        Assert.Equal("/app/connect.sh", LastWord(container, "command"));
        foreach (var variable in Items(container, "env"))
        {
            var name = Text(variable, "name") ?? "";
            Assert.True(reads.Contains(name), $"connect-job.yaml sets {name}, which deploy/connect.sh does not read.");
            if (name.EndsWith("_TOKEN", StringComparison.Ordinal) || name.EndsWith("_KEY", StringComparison.Ordinal))
                Assert.True(Node(variable, "valueFrom", "secretKeyRef") is YamlMappingNode, $"connect-job.yaml sets {name} without valueFrom.secretKeyRef.");
        }

        using var reader = new StreamReader(Path.Combine(RepositoryPaths.Root, "docker-compose.yml"));
        var compose = new YamlStream();
        compose.Load(reader);
        var connect = Node(compose.Documents[0].RootNode, "services", "connect");
        Assert.True(connect is YamlMappingNode, "docker-compose.yml has no connect service.");
        Assert.Equal("/app/connect.sh", LastWord(connect, "entrypoint"));
        foreach (var name in Labels(connect, "environment").Keys)
            Assert.True(reads.Contains(name), $"docker-compose.yml's connect service sets {name}, which deploy/connect.sh does not read.");
    }

    private static bool IsCredential(string name) =>
        CredentialSuffixes.Any(suffix => name.EndsWith(suffix, StringComparison.Ordinal))
        || name.StartsWith("ConnectionStrings__", StringComparison.Ordinal)
        || name.StartsWith("ApiKeys__Keys__", StringComparison.Ordinal);

    /// <summary>MassTransit's kebab-case: a dash before each capital that follows a small letter or a digit, then lower case.</summary>
    private static string KebabCase(string name) => Regex.Replace(name, "(?<=[a-z0-9])[A-Z]", m => "-" + m.Value).ToLowerInvariant();

    private static string Folder(string project) => Path.GetFileName(Path.GetDirectoryName(Path.Combine(RepositoryPaths.Root, project)))!;

    private static string ServiceName(string project) => KebabCase(Folder(project));

    private static IEnumerable<string> SourceFiles(string folder)
    {
        var root = Path.Combine(RepositoryPaths.Root, "services", folder);
        return Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(file => Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar)[0] is not ("bin" or "obj"));
    }

    /// <summary>The queue ConfigureEndpoints gives each consumer: its class name without "Consumer", kebab-cased.</summary>
    private static SortedSet<string> ConsumerQueues(string folder)
    {
        var queues = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in SourceFiles(folder))
            foreach (Match match in ConsumerClass.Matches(Regex.Replace(File.ReadAllText(file), "//[^\n]*", "")))
            {
                var type = match.Groups[1].Value;
                queues.Add(KebabCase(type.EndsWith("Consumer", StringComparison.Ordinal) ? type[..^"Consumer".Length] : type));
            }
        return queues;
    }

    private static List<string> Resources()
    {
        var kustomization = LoadDocuments(Path.Combine(ManifestFolder, "kustomization.yaml")).Single();
        return Node(kustomization, "resources") is YamlSequenceNode list ? list.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToList() : [];
    }

    /// <summary>Every document of every file kustomization.yaml applies.</summary>
    private static List<YamlMappingNode> Manifests() =>
        Resources().SelectMany(file => LoadDocuments(Path.Combine(ManifestFolder, file))).ToList();

    private static List<YamlMappingNode> LoadDocuments(string path)
    {
        using var reader = new StreamReader(path);
        var yaml = new YamlStream();
        yaml.Load(reader);
        return yaml.Documents.Select(document => document.RootNode).OfType<YamlMappingNode>().ToList();
    }

    private static IEnumerable<YamlMappingNode> OfKind(IEnumerable<YamlMappingNode> manifests, string kind) => manifests.Where(m => Text(m, "kind") == kind);

    private static YamlMappingNode Find(IEnumerable<YamlMappingNode> manifests, string kind, string name)
    {
        var found = OfKind(manifests, kind).FirstOrDefault(m => Text(m, "metadata", "name") == name);
        Assert.True(found is not null, $"deploy/k8s applies no {kind} named {name}.");
        return found!;
    }

    private static IEnumerable<YamlMappingNode> Containers(YamlMappingNode deployment) => Items(deployment, "spec", "template", "spec", "containers");

    private static IEnumerable<YamlMappingNode> AllContainers(YamlMappingNode deployment) =>
        Items(deployment, "spec", "template", "spec", "initContainers").Concat(Containers(deployment));

    /// <summary>The main container's environment: its ConfigMaps (envFrom) overridden by its literal env values.</summary>
    private static Dictionary<string, string> EnvironmentOf(List<YamlMappingNode> manifests, YamlMappingNode deployment)
    {
        var container = Containers(deployment).FirstOrDefault();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in Items(container, "envFrom"))
            if (Text(source, "configMapRef", "name") is { } mapName)
                foreach (var (key, value) in Labels(Find(manifests, "ConfigMap", mapName), "data")) environment[key] = value;
        foreach (var variable in Items(container, "env"))
            if (Text(variable, "name") is { } name && Text(variable, "value") is { } value) environment[name] = value;
        return environment;
    }

    private static YamlNode? Node(YamlNode? node, params string[] path)
    {
        foreach (var key in path)
            node = node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;
        return node;
    }

    private static string? Text(YamlNode? node, params string[] path) => (Node(node, path) as YamlScalarNode)?.Value;

    /// <summary>The last word of a command line written as a list (a container's command, a compose entrypoint).</summary>
    private static string? LastWord(YamlNode? node, string key) =>
        Node(node, key) is YamlSequenceNode list ? list.Children.OfType<YamlScalarNode>().LastOrDefault()?.Value : null;

    private static IEnumerable<YamlMappingNode> Items(YamlNode? node, params string[] path) =>
        Node(node, path) is YamlSequenceNode list ? list.Children.OfType<YamlMappingNode>() : [];

    /// <summary>A mapping of scalars (labels, a ConfigMap's data) as a dictionary.</summary>
    private static Dictionary<string, string> Labels(YamlNode? node, params string[] path) =>
        Node(node, path) is YamlMappingNode map
            ? map.Children.ToDictionary(
                pair => ((YamlScalarNode)pair.Key).Value ?? "", pair => (pair.Value as YamlScalarNode)?.Value ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
