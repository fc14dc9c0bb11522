using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace WasmKube.Kube.Testing.Tests;

/// <summary>A bare HTTP client for the fixture: trusts its certificate, sends its token, returns status and JSON.</summary>
internal sealed class ApiClient : IDisposable
{
    readonly HttpClient _http;

    public ApiClient(TestApiServer server)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetRawCertData().AsSpan().SequenceEqual(server.Certificate!.RawData) == true },
        };
        _http = new HttpClient(handler) { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.Token);
    }

    public HttpClient Http => _http;

    public sealed record Response(HttpStatusCode Status, JsonNode? Body, HttpResponseHeaders Headers)
    {
        public JsonObject Object => Body as JsonObject ?? throw new InvalidOperationException($"expected a JSON object, got {Body?.ToJsonString() ?? "nothing"} ({Status})");
        public string? ResourceVersion => (string?)Body?["metadata"]?["resourceVersion"];
        public long Generation => (long?)Body?["metadata"]?["generation"] ?? 0;
        public string? Reason => (string?)Body?["reason"];
    }

    public Task<Response> GetAsync(string path, string? accept = null) => SendAsync(HttpMethod.Get, path, null, null, accept);

    public Task<Response> PostAsync(string path, JsonNode body) => SendAsync(HttpMethod.Post, path, body.ToJsonString(), "application/json");

    public Task<Response> PutAsync(string path, JsonNode body) => SendAsync(HttpMethod.Put, path, body.ToJsonString(), "application/json");

    public Task<Response> PatchAsync(string path, string body, string contentType) => SendAsync(HttpMethod.Patch, path, body, contentType);

    public Task<Response> DeleteAsync(string path, JsonNode? options = null) =>
        SendAsync(HttpMethod.Delete, path, options?.ToJsonString(), options is null ? null : "application/json");

    public async Task<Response> SendAsync(HttpMethod method, string path, string? body, string? contentType, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "application/json");
        }
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Response(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response.Headers);
    }

    /// <summary>Opens a watch and returns a reader of its events.</summary>
    public async Task<WatchStream> WatchAsync(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new WatchStream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The events of one watch response, one JSON line each.</summary>
    internal sealed class WatchStream(HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        /// <summary>The next event, or null when the server ended the stream. Fails the test if none comes in 20 s.</summary>
        public async Task<JsonObject?> NextAsync()
        {
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var line = await reader.ReadLineAsync(guard.Token);
            return line is null ? null : JsonNode.Parse(line)!.AsObject();
        }

        /// <summary>The next event that is not a BOOKMARK.</summary>
        public async Task<JsonObject?> NextChangeAsync()
        {
            while (true)
            {
                var e = await NextAsync();
                if (e is null || (string?)e["type"] != "BOOKMARK")
                {
                    return e;
                }
            }
        }

        public void Dispose()
        {
            reader.Dispose();
            response.Dispose();
        }
    }
}
