using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;

namespace WasmKube.Images;

/// <summary>
/// Pushes images to an OCI distribution registry (distribution-spec v1): each blob is checked with HEAD and, when
/// missing, uploaded with POST /v2/NAME/blobs/uploads/ and a PUT of the whole blob to the returned location with
/// ?digest=; then the manifests are PUT with their media types, the platform manifests of an index by digest and
/// the root (manifest or index) last, by tag, so the tag never names content the registry does not have.
/// A 401 is answered as its WWW-Authenticate challenge asks: Basic with the stored credential, or Bearer with a
/// token fetched from the challenge's realm for service and scope "repository:NAME:pull,push" (the token flow of
/// the distribution registry, authenticating to the realm with the credential when there is one).
/// </summary>
public sealed class RegistryClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _registry;
    private readonly bool _plainHttp;
    private readonly RegistryCredential? _credential;
    private readonly string? _credentialNote;
    private AuthenticationHeaderValue? _authorization;

    /// <param name="registry">host[:port] as the image name gives it; docker.io is served at registry-1.docker.io.</param>
    /// <param name="credentialNote">Said when the registry asks for credentials and none were found (e.g. where they are kept instead).</param>
    public RegistryClient(string registry, bool plainHttp, RegistryCredential? credential, string? credentialNote = null, HttpMessageHandler? handler = null)
    {
        _registry = registry;
        _plainHttp = plainHttp;
        _credential = credential;
        _credentialNote = credentialNote;
        var host = registry == "docker.io" ? "registry-1.docker.io" : registry;
        BaseAddress = new Uri($"{(plainHttp ? "http" : "https")}://{host}/");
        _http = new HttpClient(handler ?? new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(15) })
        {
            Timeout = TimeSpan.FromMinutes(10),
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("wasmkube");
    }

    public Uri BaseAddress { get; }

    /// <summary>Blobs uploaded and blobs the registry already had, over this client's pushes.</summary>
    public int Uploaded { get; private set; }

    public int AlreadyPresent { get; private set; }

    /// <summary>Pushes every blob and manifest of <paramref name="image"/> and tags its root; returns the root's digest.</summary>
    public async Task<string> PushAsync(OciImage image, ImageReference target, CancellationToken cancellationToken = default)
    {
        if (target.Registry != _registry)
        {
            throw new ArgumentException($"{target} is not on registry {_registry}");
        }

        await PushManifestTreeAsync(image, target.Path, image.MediaType, image.Digest, target.Tag, cancellationToken);
        return image.Digest;
    }

    private async Task PushManifestTreeAsync(OciImage image, string repository, string mediaType, string digest, string reference, CancellationToken cancellationToken)
    {
        var bytes = image.Blob(digest);
        using (var document = ParseManifest(bytes, digest))
        {
            if (OciImage.IsIndex(mediaType))
            {
                foreach (var child in document.RootElement.GetProperty("manifests").EnumerateArray())
                {
                    var childDigest = child.GetProperty("digest").GetString()!;
                    await PushManifestTreeAsync(image, repository, child.GetProperty("mediaType").GetString()!, childDigest, childDigest, cancellationToken);
                }
            }
            else
            {
                var blobs = new[] { document.RootElement.GetProperty("config") }.Concat(document.RootElement.GetProperty("layers").EnumerateArray());
                foreach (var blob in blobs)
                {
                    await PushBlobAsync(repository, blob.GetProperty("digest").GetString()!, image.Blob(blob.GetProperty("digest").GetString()!), cancellationToken);
                }
            }
        }

        await PutManifestAsync(repository, reference, mediaType, digest, bytes, cancellationToken);
    }

    private static JsonDocument ParseManifest(byte[] bytes, string digest)
    {
        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"manifest {digest} of the image is not valid JSON ({e.Message})");
        }
    }

    private async Task PushBlobAsync(string repository, string digest, byte[] content, CancellationToken cancellationToken)
    {
        using (var head = await SendAsync(() => new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/blobs/{digest}"), repository, cancellationToken))
        {
            if (head.StatusCode == HttpStatusCode.OK)
            {
                AlreadyPresent++;
                return;
            }

            if (head.StatusCode != HttpStatusCode.NotFound)
            {
                throw await FailureAsync(head, repository, cancellationToken);
            }
        }

        Uri location;
        using (var start = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"v2/{repository}/blobs/uploads/"), repository, cancellationToken))
        {
            if (start.StatusCode != HttpStatusCode.Accepted || start.Headers.Location is null)
            {
                throw await FailureAsync(start, repository, cancellationToken);
            }

            location = new Uri(BaseAddress, start.Headers.Location);
        }

        var separator = location.Query.Length > 0 ? "&" : "?";
        var upload = new Uri(location + separator + "digest=" + Uri.EscapeDataString(digest));
        using var put = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, upload) { Content = Content(content, "application/octet-stream") }, repository, cancellationToken);
        if (put.StatusCode != HttpStatusCode.Created)
        {
            throw await FailureAsync(put, repository, cancellationToken);
        }

        Uploaded++;
    }

    private async Task PutManifestAsync(string repository, string reference, string mediaType, string digest, byte[] bytes, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Put, $"v2/{repository}/manifests/{reference}") { Content = Content(bytes, mediaType) },
            repository, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw await FailureAsync(response, repository, cancellationToken);
        }

        if (response.Headers.TryGetValues("Docker-Content-Digest", out var stored) && stored.First() != digest)
        {
            throw new RegistryException($"registry {_registry} stored manifest {digest} of {repository} as {stored.First()}: it changed the manifest, so the image's digest would not hold");
        }
    }

    private static ByteArrayContent Content(byte[] bytes, string mediaType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    /// <summary>Sends with the current authorization; on a 401 answers its challenge once and sends again.</summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, string repository, CancellationToken cancellationToken)
    {
        var response = await SendOnceAsync(create, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        var challenges = response.Headers.WwwAuthenticate.ToList();
        var body = await ErrorsAsync(response, cancellationToken);
        response.Dispose();
        var bearer = challenges.FirstOrDefault(c => c.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase));
        var basic = challenges.FirstOrDefault(c => c.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase));
        if (bearer is not null)
        {
            _authorization = new AuthenticationHeaderValue("Bearer", await FetchTokenAsync(Parameters(bearer.Parameter), repository, cancellationToken));
        }
        else if (basic is not null && _credential is not null)
        {
            _authorization = BasicAuthorization(_credential);
        }
        else
        {
            throw NeedsCredentials(repository, body);
        }

        response = await SendOnceAsync(create, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            var again = await ErrorsAsync(response, cancellationToken);
            response.Dispose();
            throw _credential is null ? NeedsCredentials(repository, again) : Rejected(again);
        }

        return response;
    }

    private async Task<HttpResponseMessage> SendOnceAsync(Func<HttpRequestMessage> create, CancellationToken cancellationToken)
    {
        using var request = create();
        request.RequestUri = new Uri(BaseAddress, request.RequestUri!);
        request.Headers.Authorization = _authorization;
        try
        {
            return await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(request.RequestUri, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RegistryException($"registry {_registry} did not answer {request.Method} {request.RequestUri} in time; check that it is up and reachable", e);
        }
    }

    private async Task<string> FetchTokenAsync(IReadOnlyDictionary<string, string> challenge, string repository, CancellationToken cancellationToken)
    {
        if (!challenge.TryGetValue("realm", out var realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri))
        {
            throw new RegistryException($"registry {_registry} asked for a Bearer token without a usable realm (WWW-Authenticate realm \"{realm}\"); it is not a distribution-spec registry or is misconfigured");
        }

        var query = new StringBuilder();
        if (challenge.TryGetValue("service", out var service))
        {
            query.Append("service=").Append(Uri.EscapeDataString(service));
        }

        var scopes = new List<string> { $"repository:{repository}:pull,push" };
        if (challenge.TryGetValue("scope", out var asked) && !scopes.Contains(asked))
        {
            scopes.Add(asked);
        }

        foreach (var scope in scopes)
        {
            query.Append(query.Length > 0 ? "&" : "").Append("scope=").Append(Uri.EscapeDataString(scope));
        }

        var url = new UriBuilder(realmUri) { Query = (realmUri.Query.TrimStart('?') + (realmUri.Query.Length > 1 ? "&" : "") + query).TrimStart('&') }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (_credential is not null)
        {
            request.Headers.Authorization = BasicAuthorization(_credential);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new RegistryException($"cannot reach the token server {realmUri.GetLeftPart(UriPartial.Path)} that registry {_registry} sends clients to: {e.Message}", e);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw _credential is null ? NeedsCredentials(repository, Errors(text)) : Rejected(Errors(text));
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new RegistryException($"the token server {realmUri.GetLeftPart(UriPartial.Path)} of registry {_registry} refused a token for {repository} (HTTP {(int)response.StatusCode}{Errors(text)}){(response.StatusCode == HttpStatusCode.Forbidden ? $"; {As()} may not push to {repository}" : "")}");
            }

            try
            {
                using var json = JsonDocument.Parse(text);
                var token = json.RootElement.TryGetProperty("token", out var t) ? t.GetString()
                    : json.RootElement.TryGetProperty("access_token", out var a) ? a.GetString() : null;
                return string.IsNullOrEmpty(token)
                    ? throw new RegistryException($"the token server {realmUri.GetLeftPart(UriPartial.Path)} of registry {_registry} answered without a token")
                    : token;
            }
            catch (JsonException)
            {
                throw new RegistryException($"the token server {realmUri.GetLeftPart(UriPartial.Path)} of registry {_registry} did not answer with JSON");
            }
        }
    }

    /// <summary>Parses the auth-params of a challenge: key="quoted, may hold commas" or key=token, comma separated.</summary>
    internal static Dictionary<string, string> Parameters(string? text)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        text ??= "";
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i]))) i++;
            var equals = text.IndexOf('=', i);
            if (equals < 0) break;
            var key = text[i..equals].Trim();
            i = equals + 1;
            var value = new StringBuilder();
            if (i < text.Length && text[i] == '"')
            {
                for (i++; i < text.Length && text[i] != '"'; i++)
                {
                    if (text[i] == '\\' && i + 1 < text.Length) i++;
                    value.Append(text[i]);
                }

                i++;
            }
            else
            {
                for (; i < text.Length && text[i] != ','; i++) value.Append(text[i]);
            }

            result[key] = value.ToString().Trim();
        }

        return result;
    }

    private static AuthenticationHeaderValue BasicAuthorization(RegistryCredential credential) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}")));

    private string As() => _credential is null ? "an anonymous client" : $"user {_credential.Username}";

    private RegistryException NeedsCredentials(string repository, string errors) => new(
        $"registry {_registry} requires authentication to push to {repository}{errors}: " +
        (_credentialNote ?? $"log in with `docker login {_registry}` or add an \"auths\" entry for {_registry} with \"auth\" (base64 of USER:PASSWORD) to ~/.docker/config.json (or $DOCKER_CONFIG/config.json)"));

    private RegistryException Rejected(string errors) => new(
        $"registry {_registry} rejected the credentials of user {_credential!.Username}{errors}: check the user name and password of its \"auths\" entry (run `docker login {_registry}` again)");

    private RegistryException Unreachable(Uri url, HttpRequestException e)
    {
        var tls = e.InnerException is AuthenticationException || e.HttpRequestError == HttpRequestError.SecureConnectionError;
        var hint = tls
            ? "the TLS handshake failed: if the registry serves plain HTTP (e.g. a local one) pass --plain-http; if its certificate comes from a private CA, add that CA to the system's trust store"
            : _plainHttp
                ? "check the address and that the registry is running"
                : "check the address and that the registry is running; for a registry that serves plain HTTP (e.g. a local one) pass --plain-http";
        // The TLS failure's own reason is in the inner exception; the outer one only says to look there.
        var reason = tls && e.InnerException is not null ? e.InnerException.Message : e.Message;
        return new RegistryException($"cannot reach registry {_registry} at {url.GetLeftPart(UriPartial.Authority)} ({reason}): {hint}", e);
    }

    private async Task<RegistryException> FailureAsync(HttpResponseMessage response, string repository, CancellationToken cancellationToken)
    {
        var errors = await ErrorsAsync(response, cancellationToken);
        var request = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}";
        return response.StatusCode switch
        {
            HttpStatusCode.Forbidden => new RegistryException(
                $"registry {_registry} denied {As()} pushing to {repository} (HTTP 403 on {request}{errors}): get push rights to that repository, or push to one you own"),
            HttpStatusCode.NotFound => new RegistryException(
                $"registry {_registry} has no repository {repository} or does not serve the distribution API at {BaseAddress}v2/ (HTTP 404 on {request}{errors}): check the image name and the registry address"),
            _ => new RegistryException($"registry {_registry} answered {request} with HTTP {(int)response.StatusCode} {response.ReasonPhrase}{errors}"),
        };
    }

    private static async Task<string> ErrorsAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        Errors(await response.Content.ReadAsStringAsync(cancellationToken));

    /// <summary>The registry's own words: the codes and messages of a distribution-spec error body, prefixed with ": ".</summary>
    private static string Errors(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                var text = string.Join("; ", errors.EnumerateArray().Select(e =>
                    $"{(e.TryGetProperty("code", out var c) ? c.GetString() : "")} {(e.TryGetProperty("message", out var m) ? m.GetString() : "")}".Trim()));
                return text.Length > 0 ? ": " + text : "";
            }
        }
        catch (JsonException)
        {
        }

        return "";
    }

    public void Dispose() => _http.Dispose();
}
