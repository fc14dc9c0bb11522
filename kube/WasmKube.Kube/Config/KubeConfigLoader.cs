using System.Security.Cryptography.X509Certificates;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace WasmKube.Kube.Config;

/// <summary>
/// Reads a kubeconfig file (clientcmd v1: clusters, users, contexts, current-context). Walks the YAML tree rather
/// than binding it, so no reflection is involved. Relative file paths resolve against the kubeconfig's folder, as kubectl does.
/// </summary>
public static class KubeConfigLoader
{
    public static KubernetesClientConfiguration Load(string path, string? context = null)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Kubeconfig '{path}' does not exist; pass an existing file with --kubeconfig or KUBECONFIG.", path);
        }
        return Parse(File.ReadAllText(path), Path.GetDirectoryName(Path.GetFullPath(path))!, context, path);
    }

    public static KubernetesClientConfiguration Parse(string yaml, string baseDirectory, string? context = null, string source = "kubeconfig")
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(yaml))
        {
            stream.Load(reader);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new InvalidOperationException($"{source} is empty or not a YAML mapping.");
        }

        var contextName = context ?? Scalar(root, "current-context")
            ?? throw new InvalidOperationException($"{source} has no current-context; pass --context.");
        var contextNode = Named(root, "contexts", "context", contextName)
            ?? throw new InvalidOperationException($"{source} has no context named '{contextName}'; known: {string.Join(", ", Names(root, "contexts"))}.");
        var clusterName = Scalar(contextNode, "cluster")
            ?? throw new InvalidOperationException($"Context '{contextName}' in {source} names no cluster.");
        var cluster = Named(root, "clusters", "cluster", clusterName)
            ?? throw new InvalidOperationException($"{source} has no cluster named '{clusterName}' (used by context '{contextName}').");
        var userName = Scalar(contextNode, "user");
        var user = userName is null ? null : Named(root, "users", "user", userName)
            ?? throw new InvalidOperationException($"{source} has no user named '{userName}' (used by context '{contextName}').");

        var server = Scalar(cluster, "server")
            ?? throw new InvalidOperationException($"Cluster '{clusterName}' in {source} has no server.");
        if (!Uri.TryCreate(server, UriKind.Absolute, out var host))
        {
            throw new InvalidOperationException($"Cluster '{clusterName}' in {source} has an invalid server URL '{server}'.");
        }

        var ca = Pem(cluster, "certificate-authority-data", "certificate-authority", baseDirectory);
        X509Certificate2Collection? caCertificates = null;
        if (ca is not null)
        {
            caCertificates = new X509Certificate2Collection();
            caCertificates.ImportFromPem(ca);
        }

        X509Certificate2? clientCertificate = null;
        ICredentialProvider? credentials = null;
        if (user is not null)
        {
            var certPem = Pem(user, "client-certificate-data", "client-certificate", baseDirectory);
            var keyPem = Pem(user, "client-key-data", "client-key", baseDirectory);
            if (certPem is not null && keyPem is not null)
            {
                clientCertificate = X509Certificate2.CreateFromPem(certPem, keyPem);
            }
            else if (certPem is not null || keyPem is not null)
            {
                throw new InvalidOperationException($"User '{userName}' in {source} has a client certificate without its key (or the reverse); give both.");
            }

            if (Scalar(user, "token") is { Length: > 0 } token)
            {
                credentials = new StaticTokenProvider(token);
            }
            else if (Scalar(user, "tokenFile") is { Length: > 0 } tokenFile)
            {
                credentials = new TokenFileProvider(Path.Combine(baseDirectory, tokenFile));
            }
            else if (Child(user, "exec") is YamlMappingNode exec)
            {
                credentials = new ExecCredentialProvider(ReadExec(exec, userName!, source));
            }
            else if (Child(user, "auth-provider") is not null)
            {
                throw new InvalidOperationException(
                    $"User '{userName}' in {source} uses an auth-provider, which client-go removed; switch it to an exec credential plugin.");
            }
        }

        return new KubernetesClientConfiguration
        {
            Host = host,
            Namespace = Scalar(contextNode, "namespace") ?? "default",
            CaCertificates = caCertificates,
            ClientCertificate = clientCertificate,
            Credentials = credentials,
            SkipTlsVerify = string.Equals(Scalar(cluster, "insecure-skip-tls-verify"), "true", StringComparison.OrdinalIgnoreCase),
            TlsServerName = Scalar(cluster, "tls-server-name"),
            ContextName = contextName,
        };
    }

    private static ExecCredentialCommand ReadExec(YamlMappingNode exec, string userName, string source)
    {
        var command = Scalar(exec, "command")
            ?? throw new InvalidOperationException($"The exec section of user '{userName}' in {source} has no command.");
        var args = Child(exec, "args") is YamlSequenceNode argList
            ? argList.Children.OfType<YamlScalarNode>().Select(a => a.Value ?? "").ToList()
            : [];
        var env = new List<KeyValuePair<string, string>>();
        if (Child(exec, "env") is YamlSequenceNode envList)
        {
            foreach (var item in envList.Children.OfType<YamlMappingNode>())
            {
                env.Add(new(Scalar(item, "name") ?? "", Scalar(item, "value") ?? ""));
            }
        }
        return new ExecCredentialCommand(command, args, env, Scalar(exec, "apiVersion") ?? "client.authentication.k8s.io/v1");
    }

    private static string? Pem(YamlMappingNode node, string dataKey, string fileKey, string baseDirectory)
    {
        if (Scalar(node, dataKey) is { Length: > 0 } data)
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(data));
        }
        if (Scalar(node, fileKey) is { Length: > 0 } file)
        {
            return File.ReadAllText(Path.Combine(baseDirectory, file));
        }
        return null;
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlMappingNode node, string key) => (Child(node, key) as YamlScalarNode)?.Value;

    private static IEnumerable<string> Names(YamlMappingNode root, string listKey) =>
        Child(root, listKey) is YamlSequenceNode list
            ? list.Children.OfType<YamlMappingNode>().Select(e => Scalar(e, "name") ?? "?")
            : [];

    /// <summary>Finds <c>{listKey}[name=wanted].{innerKey}</c>.</summary>
    private static YamlMappingNode? Named(YamlMappingNode root, string listKey, string innerKey, string wanted) =>
        Child(root, listKey) is YamlSequenceNode list
            ? list.Children.OfType<YamlMappingNode>()
                .Where(entry => Scalar(entry, "name") == wanted)
                .Select(entry => Child(entry, innerKey) as YamlMappingNode ?? new YamlMappingNode())
                .FirstOrDefault()
            : null;
}
