using System.Net;
using System.Net.Sockets;
using System.Text;
using WasmKube.Endpoints;

namespace WasmKube.Endpoints.Tests;

public sealed class EndpointServerTests : IAsyncLifetime
{
    // Longer than the response buffer, so it streams instead of going out with a Content-Length.
    private static readonly string LargeBody = string.Concat(Enumerable.Range(0, 5000).Select(i => $"line {i}\n"));

    private readonly EndpointServer _server = new(EndpointAddress.Parse("127.0.0.1:0"));
    private readonly HttpClient _http = new();

    public Task InitializeAsync()
    {
        _server
            .Map("/small", (response, token) => response.WriteAsync("hello\n", token))
            .Map("/large", (response, token) =>
            {
                response.ContentType = "text/plain; version=0.0.4";
                return response.WriteAsync(LargeBody, token);
            })
            .Map("/unavailable", (response, token) =>
            {
                response.StatusCode = 503;
                return response.WriteAsync("not yet", token);
            })
            .Map("/broken", (_, _) => throw new InvalidOperationException("the registry is gone"));
        _http.BaseAddress = _server.LocalUrl;
        return _server.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.StopAsync(CancellationToken.None);
        _server.Dispose();
    }

    private Uri Url(string path) => new(_server.LocalUrl!, path);

    [Fact]
    public async Task A_small_answer_carries_its_length_and_status()
    {
        using var small = await _http.GetAsync(Url("/small?verbose=1"));
        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        Assert.Equal(6, small.Content.Headers.ContentLength);
        Assert.Equal("hello\n", await small.Content.ReadAsStringAsync());

        using var unavailable = await _http.GetAsync(Url("/unavailable"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        Assert.Equal("not yet", await unavailable.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_large_answer_streams_in_chunks_and_arrives_whole()
    {
        using var response = await _http.GetAsync(Url("/large"));
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal("text/plain; version=0.0.4", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(LargeBody, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_http10_client_gets_the_large_answer_delimited_by_the_close()
    {
        var raw = await SendRawAsync("GET /large HTTP/1.0\r\n\r\n");
        var (head, body) = Split(raw);
        Assert.StartsWith("HTTP/1.1 200 OK", head, StringComparison.Ordinal);
        Assert.DoesNotContain("chunked", head, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(LargeBody, body);
    }

    [Fact]
    public async Task Head_answers_headers_only()
    {
        var (head, body) = Split(await SendRawAsync("HEAD /small HTTP/1.1\r\nHost: x\r\n\r\n"));
        Assert.Contains("Content-Length: 6", head, StringComparison.Ordinal);
        Assert.Equal("", body);
        (head, body) = Split(await SendRawAsync("HEAD /large HTTP/1.1\r\nHost: x\r\n\r\n"));
        Assert.Contains("Transfer-Encoding: chunked", head, StringComparison.Ordinal);
        Assert.Equal("", body);
    }

    [Fact]
    public async Task Unknown_paths_and_methods_are_refused_with_what_is_served()
    {
        using var missing = await _http.GetAsync(Url("/nothing"));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("/large, /small", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var post = await _http.PostAsync(Url("/small"), new StringContent("x"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task A_failing_handler_answers_500_with_the_reason()
    {
        using var response = await _http.GetAsync(Url("/broken"));
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Contains("the registry is gone", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n", "400 Bad Request")]
    [InlineData("GET /small HTTP/1.1\r\n\r\n", "400 Bad Request")]
    [InlineData("GET small HTTP/1.1\r\nHost: x\r\n\r\n", "400 Bad Request")]
    [InlineData("GET /small HTTP/2.0\r\n\r\n", "505 HTTP Version Not Supported")]
    [InlineData("GET http://example/small HTTP/1.1\r\nHost: example\r\n\r\n", "200 OK")]
    [InlineData("GET /small HTTP/1.1\nHost: x\n\n", "200 OK")]
    public async Task Request_heads_are_checked(string request, string status)
    {
        var (head, _) = Split(await SendRawAsync(request));
        Assert.StartsWith($"HTTP/1.1 {status}\r\n", head, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_request_head_is_refused()
    {
        var request = "GET /small HTTP/1.1\r\nHost: x\r\nX-Padding: " + new string('a', EndpointServer.MaxRequestHeadBytes) + "\r\n\r\n";
        var (head, _) = Split(await SendRawAsync(request));
        Assert.StartsWith("HTTP/1.1 431 ", head, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_taken_port_is_reported_with_the_address()
    {
        using var second = new EndpointServer(new EndpointAddress(IPAddress.Loopback, _server.LocalEndpoint!.Port));
        var error = await Assert.ThrowsAsync<IOException>(() => second.StartAsync(CancellationToken.None));
        Assert.Contains($"127.0.0.1:{_server.LocalEndpoint.Port}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_does_not_wait_for_a_client_that_never_sends()
    {
        using var idle = new TcpClient();
        await idle.ConnectAsync(_server.LocalEndpoint!);
        await _server.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        await Assert.ThrowsAnyAsync<Exception>(() => _http.GetAsync(Url("/small")));
    }

    [Theory]
    [InlineData(":8081", "0.0.0.0", 8081)]
    [InlineData("0.0.0.0:8081", "0.0.0.0", 8081)]
    [InlineData("127.0.0.1:0", "127.0.0.1", 0)]
    [InlineData("[::1]:9464", "::1", 9464)]
    [InlineData("localhost:9464", "127.0.0.1", 9464)]
    [InlineData("http://0.0.0.0:9464/", "0.0.0.0", 9464)]
    public void Addresses_parse_in_the_usual_spellings(string text, string address, int port) =>
        Assert.Equal(new EndpointAddress(IPAddress.Parse(address), port), EndpointAddress.Parse(text));

    [Theory]
    [InlineData("8081")]
    [InlineData(":http")]
    [InlineData(":70000")]
    [InlineData("https://0.0.0.0:8443")]
    [InlineData("metrics.example:8080")]
    public void Bad_addresses_say_which_forms_are_accepted(string text) =>
        Assert.Contains(":PORT", Assert.Throws<ArgumentException>(() => EndpointAddress.Parse(text)).Message, StringComparison.Ordinal);

    private async Task<string> SendRawAsync(string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(_server.LocalEndpoint!);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        // The server closes after one answer, so reading to the end is reading the answer.
        return await reader.ReadToEndAsync();
    }

    private static (string Head, string Body) Split(string response)
    {
        var end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (response[..(end + 2)], response[(end + 4)..]);
    }
}
