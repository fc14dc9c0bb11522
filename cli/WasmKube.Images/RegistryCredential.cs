using System.Text;
using System.Text.Json;

namespace WasmKube.Images;

/// <summary>
/// A user name and password for one registry, from Docker's client configuration (what `docker login` writes):
/// <c>$DOCKER_CONFIG/config.json</c>, else <c>~/.docker/config.json</c>, its "auths" entry whose key names the
/// registry (host[:port], optionally as a URL), with "auth" (base64 of USER:PASSWORD) or "username" and "password",
/// else the credential helper the file names for it.
/// </summary>
public sealed record RegistryCredential(string Username, string Password)
{
    /// <summary>Docker Hub's entries are written under its old index URL; any of these keys names it.</summary>
    private static readonly string[] DockerHubNames = ["docker.io", "index.docker.io", "registry-1.docker.io"];

    public static string ConfigPath(Func<string, string?> environment)
    {
        var directory = environment("DOCKER_CONFIG");
        if (string.IsNullOrEmpty(directory))
        {
            directory = Path.Combine(environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        }

        return Path.Combine(directory, "config.json");
    }

    /// <summary>
    /// The credential stored for <paramref name="registry"/>, or null when the file or the entry does not exist.
    /// An entry without credentials defers, as in the docker CLI, to the registry's "credHelpers" helper or the
    /// "credsStore" helper. <paramref name="note"/> tells why nothing usable was found when that helps the user.
    /// </summary>
    public static RegistryCredential? Find(string configPath, string registry, out string? note)
    {
        note = null;
        if (!File.Exists(configPath))
        {
            return null;
        }

        JsonDocument config;
        try
        {
            config = JsonDocument.Parse(File.ReadAllBytes(configPath));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{configPath} is not valid JSON ({e.Message}); fix it or point DOCKER_CONFIG at another directory");
        }

        using (config)
        {
            var names = DockerHubNames.Contains(registry) ? DockerHubNames : [registry];
            if (config.RootElement.ValueKind == JsonValueKind.Object && config.RootElement.TryGetProperty("auths", out var auths) && auths.ValueKind == JsonValueKind.Object)
            {
                foreach (var entry in auths.EnumerateObject().Where(e => names.Contains(HostOf(e.Name))))
                {
                    if (Parse(entry.Value, configPath, entry.Name) is { } credential)
                    {
                        return credential;
                    }
                }
            }

            var helper = config.RootElement.ValueKind == JsonValueKind.Object && config.RootElement.TryGetProperty("credHelpers", out var helpers)
                && helpers.ValueKind == JsonValueKind.Object && helpers.TryGetProperty(registry, out var named) ? named.GetString()
                : config.RootElement.ValueKind == JsonValueKind.Object && config.RootElement.TryGetProperty("credsStore", out var store) ? store.GetString()
                : null;
            return string.IsNullOrEmpty(helper) ? null : FromHelper(helper, registry, configPath, out note);
        }
    }

    /// <summary>
    /// Asks a credential helper as the docker CLI does: <c>docker-credential-NAME get</c> with the server on stdin
    /// answers {"Username", "Secret"} on stdout, or fails with "credentials not found" when it has none.
    /// </summary>
    private static RegistryCredential? FromHelper(string helper, string registry, string configPath, out string? note)
    {
        note = null;
        var program = "docker-credential-" + helper;
        var info = new System.Diagnostics.ProcessStartInfo(program, ["get"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        System.Diagnostics.Process process;
        try
        {
            process = System.Diagnostics.Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            note = $"{configPath} keeps the credentials of {registry} in the credential helper {program}, which is not on PATH; install it, or add an \"auths\" entry with \"auth\" (base64 of USER:PASSWORD) for {registry}";
            return null;
        }

        using (process)
        {
            try
            {
                process.StandardInput.Write(DockerHubNames.Contains(registry) ? "https://index.docker.io/v1/" : registry);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The helper exited without reading; its exit code and output tell why.
            }

            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill();
                throw new InvalidDataException($"the credential helper {program} did not answer for {registry} within a minute");
            }

            var text = output.GetAwaiter().GetResult().Trim();
            if (process.ExitCode != 0)
            {
                if (text.Contains("credentials not found", StringComparison.OrdinalIgnoreCase))
                {
                    note = $"the credential helper {program} has no credentials for {registry}; log in with `docker login {registry}`";
                    return null;
                }

                throw new InvalidDataException($"the credential helper {program} failed for {registry} (exit {process.ExitCode}): {(text + " " + error.GetAwaiter().GetResult()).Trim()}");
            }

            try
            {
                using var answer = JsonDocument.Parse(text);
                var username = answer.RootElement.GetProperty("Username").GetString() ?? "";
                var secret = answer.RootElement.GetProperty("Secret").GetString() ?? "";
                if (username == "<token>")
                {
                    note = $"the credential helper {program} holds an identity token for {registry}, which wasmkube does not use; add an \"auths\" entry with \"auth\" (base64 of USER:PASSWORD) for {registry}";
                    return null;
                }

                return new RegistryCredential(username, secret);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new InvalidDataException($"the credential helper {program} answered for {registry} with something other than {{\"Username\", \"Secret\"}} JSON");
            }
        }
    }

    private static RegistryCredential? Parse(JsonElement entry, string configPath, string key)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (entry.TryGetProperty("auth", out var auth) && auth.GetString() is { Length: > 0 } encoded)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            }
            catch (FormatException)
            {
                throw new InvalidDataException($"the \"auth\" of \"{key}\" in {configPath} is not base64; it must be base64 of USER:PASSWORD (run `docker login` again, or write it with `printf USER:PASSWORD | base64`)");
            }

            var colon = decoded.IndexOf(':');
            if (colon <= 0)
            {
                throw new InvalidDataException($"the \"auth\" of \"{key}\" in {configPath} does not decode to USER:PASSWORD; write it with `printf USER:PASSWORD | base64`");
            }

            return new RegistryCredential(decoded[..colon], decoded[(colon + 1)..]);
        }

        return entry.TryGetProperty("username", out var user) && entry.TryGetProperty("password", out var password)
            && user.GetString() is { Length: > 0 } name
            ? new RegistryCredential(name, password.GetString() ?? "")
            : null;
    }

    /// <summary>"https://host:port/v1/" and "host:port" both name host:port.</summary>
    private static string HostOf(string key)
    {
        var host = key;
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            host = host[(scheme + 3)..];
        }

        var slash = host.IndexOf('/');
        return (slash >= 0 ? host[..slash] : host).ToLowerInvariant();
    }

    /// <summary>Never printed: the password stays out of logs and exception messages.</summary>
    public override string ToString() => $"user {Username}";
}
