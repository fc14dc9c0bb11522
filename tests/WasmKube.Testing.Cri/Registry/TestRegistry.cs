using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace WasmKube.Testing.Registry;

public enum RegistryAuth
{
    /// <summary>Anyone may push and pull.</summary>
    None,

    /// <summary>HTTP Basic against an htpasswd file (bcrypt) holding one user.</summary>
    Basic,

    /// <summary>The token flow: a 401 names a token server (<see cref="TokenServer"/>), whose signed tokens the registry trusts.</summary>
    Token,
}

/// <summary>
/// A real OCI distribution registry for one test class: Debian's docker-registry (distribution 2.8) serving plain
/// HTTP on a free loopback port, with its storage, config and log in a temporary directory. It is stopped by pid and
/// the directory removed on dispose.
/// </summary>
public sealed class TestRegistry : IAsyncDisposable
{
    public const string Program = "/usr/bin/docker-registry";
    private readonly Process _process;

    private TestRegistry(string directory, int port, Process process, TokenServer? tokenServer, string password)
    {
        Directory = directory;
        Port = port;
        _process = process;
        TokenServer = tokenServer;
        Password = password;
    }

    public string Directory { get; }

    public int Port { get; }

    /// <summary>host:port, the registry part of image names pushed here.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public string Username => "wasm-pusher";

    public string Password { get; }

    public TokenServer? TokenServer { get; }

    public string Log => File.ReadAllText(Path.Combine(Directory, "registry.log"));

    public static async Task<TestRegistry> StartAsync(RegistryAuth auth = RegistryAuth.None)
    {
        if (!File.Exists(Program))
        {
            throw new InvalidOperationException($"{Program} is missing: install Debian's docker-registry package (scripts/deps.sh does)");
        }

        var directory = System.IO.Directory.CreateTempSubdirectory("wk-registry-").FullName;
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        TokenServer? tokenServer = null;
        var authSection = "";
        if (auth == RegistryAuth.Basic)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, "htpasswd"), $"wasm-pusher:{Bcrypt(password)}\n");
            authSection = $"""
                auth:
                  htpasswd:
                    realm: wasmkube-test
                    path: {directory}/htpasswd
                """;
        }
        else if (auth == RegistryAuth.Token)
        {
            tokenServer = TokenServer.Start("wasm-pusher", password);
            await File.WriteAllTextAsync(Path.Combine(directory, "token-ca.pem"), tokenServer.CertificatePem);
            authSection = $"""
                auth:
                  token:
                    realm: {tokenServer.Realm}
                    service: {TokenServer.Service}
                    issuer: {TokenServer.Issuer}
                    rootcertbundle: {directory}/token-ca.pem
                """;
        }

        // The free port may be taken by someone else before the registry binds it: then try another one.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var config = Path.Combine(directory, "config.yml");
            await File.WriteAllTextAsync(config, $"""
                version: 0.1
                log:
                  level: info
                storage:
                  filesystem:
                    rootdirectory: {directory}/storage
                http:
                  addr: 127.0.0.1:{port}
                {authSection}
                """);
            var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("exec \"$1\" serve \"$2\" >\"$3\" 2>&1 </dev/null");
            info.ArgumentList.Add("sh");
            info.ArgumentList.Add(Program);
            info.ArgumentList.Add(config);
            info.ArgumentList.Add(Path.Combine(directory, "registry.log"));
            var registry = new TestRegistry(directory, port, Process.Start(info)!, tokenServer, password);
            if (await registry.WaitUntilServingAsync())
            {
                return registry;
            }

            var log = registry.Log;
            if (attempt < 3 && log.Contains("address already in use", StringComparison.Ordinal))
            {
                registry._process.Dispose();
                continue;
            }

            await registry.DisposeAsync();
            throw new InvalidOperationException($"docker-registry did not start serving on 127.0.0.1:{port}: {log}");
        }
    }

    /// <summary>True once the registry answers /v2/; false when it exited or did not answer in 30 s (then it is stopped).</summary>
    private async Task<bool> WaitUntilServingAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await http.GetAsync($"http://{Host}/v2/");
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (_process.HasExited)
            {
                return false;
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                _process.Kill();
                await _process.WaitForExitAsync();
                return false;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>A docker config directory (for DOCKER_CONFIG) whose config.json holds the given credential for this registry.</summary>
    public string DockerConfig(string username, string password, string name)
    {
        var directory = Path.Combine(Directory, "docker-" + name);
        System.IO.Directory.CreateDirectory(directory);
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
        File.WriteAllText(Path.Combine(directory, "config.json"), JsonSerializer.Serialize(new { auths = new Dictionary<string, object> { [Host] = new { auth } } }));
        return directory;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        TokenServer?.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A bcrypt hash for htpasswd, by the C library's crypt(3) (libxcrypt), as the registry accepts only bcrypt.</summary>
    private static string Bcrypt(string password)
    {
        var setting = crypt_gensalt("$2b$", 5, IntPtr.Zero, 0);
        var hash = setting == IntPtr.Zero ? IntPtr.Zero : crypt(password, Marshal.PtrToStringUTF8(setting)!);
        var text = hash == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(hash);
        return text is not null && text.StartsWith("$2b$", StringComparison.Ordinal)
            ? text
            : throw new InvalidOperationException("libcrypt could not make a bcrypt hash for the test registry's htpasswd");
    }

    [DllImport("libcrypt.so.1")]
    private static extern IntPtr crypt_gensalt(string prefix, ulong count, IntPtr randomBytes, int randomByteCount);

    [DllImport("libcrypt.so.1")]
    private static extern IntPtr crypt(string phrase, string setting);
}

/// <summary>
/// A token server for the registry's token authentication: it checks Basic credentials of one user and answers
/// GET REALM?service=...&amp;scope=repository:NAME:ACTIONS with a JWT signed by its own certificate (ES256, the
/// certificate in the x5c header), granting the asked actions. It records every request.
/// </summary>
public sealed class TokenServer : IDisposable
{
    public const string Service = "wasmkube-test-registry";
    public const string Issuer = "wasmkube-test-token-server";
    private readonly HttpListener _listener = new();
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _certificate;
    private readonly string _username;
    private readonly string _password;
    private readonly List<TokenRequest> _requests = [];

    private TokenServer(string username, string password, int port)
    {
        _username = username;
        _password = password;
        var request = new CertificateRequest("CN=" + Issuer, _key, HashAlgorithmName.SHA256);
        _certificate = request.Create(request.SubjectName, X509SignatureGenerator.CreateForECDsa(_key),
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), [0x01, 0x02, 0x03, 0x04]);
        Realm = $"http://127.0.0.1:{port}/token";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
    }

    public string Realm { get; }

    public string CertificatePem => _certificate.ExportCertificatePem() + "\n";

    /// <summary>When set, every token request is refused with this status (e.g. 403).</summary>
    public HttpStatusCode? RefuseWith { get; set; }

    public IReadOnlyList<TokenRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static TokenServer Start(string username, string password)
    {
        for (var attempt = 1; ; attempt++)
        {
            var server = new TokenServer(username, password, TestRegistry.FreePort());
            try
            {
                server._listener.Start();
            }
            catch (HttpListenerException) when (attempt < 3)
            {
                // The free port was taken in the meantime.
                server.Dispose();
                continue;
            }

            _ = server.ServeAsync();
            return server;
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var response = context.Response;
            var user = BasicUser(context.Request.Headers["Authorization"], out var password);
            var scopes = context.Request.QueryString.GetValues("scope") ?? [];
            lock (_requests)
            {
                _requests.Add(new TokenRequest(user, context.Request.QueryString["service"], scopes));
            }

            if (context.Request.Url?.AbsolutePath != "/token")
            {
                response.StatusCode = 404;
                continue;
            }

            if (user is not null && (user != _username || password != _password))
            {
                response.StatusCode = 401;
                continue;
            }

            if (RefuseWith is { } status)
            {
                response.StatusCode = (int)status;
                continue;
            }

            // An anonymous client gets a token without access, as public token servers answer.
            var token = Token(user ?? "", user is null ? [] : scopes);
            var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { token, access_token = token, expires_in = 300 }));
            response.ContentType = "application/json";
            await response.OutputStream.WriteAsync(body);
        }
    }

    private string Token(string subject, IEnumerable<string> scopes)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var access = scopes.Select(s => s.Split(':')).Where(p => p.Length == 3)
            .Select(p => new { type = p[0], name = p[1], actions = p[2].Split(',') }).ToArray();
        var header = new { typ = "JWT", alg = "ES256", x5c = new[] { Convert.ToBase64String(_certificate.RawData) } };
        var claims = new { iss = Issuer, sub = subject, aud = Service, exp = now + 300, nbf = now - 10, iat = now, jti = Guid.NewGuid().ToString("N"), access };
        var signingInput = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? BasicUser(string? header, out string? password)
    {
        password = null;
        if (header is null || !header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return null;
        }

        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..]));
        var colon = decoded.IndexOf(':');
        password = decoded[(colon + 1)..];
        return decoded[..colon];
    }

    public void Dispose()
    {
        _listener.Close();
        _key.Dispose();
        _certificate.Dispose();
    }
}

public sealed record TokenRequest(string? User, string? Service, IReadOnlyList<string> Scopes);
