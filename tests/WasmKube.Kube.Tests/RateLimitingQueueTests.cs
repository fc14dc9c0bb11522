using WasmKube.Kube.Controllers;

namespace WasmKube.Kube.Tests;

public sealed class RateLimitingQueueTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_item_added_many_times_while_waiting_is_handed_out_once()
    {
        using var queue = new RateLimitingQueue<string>();
        queue.Add("a");
        queue.Add("b");
        queue.Add("a");
        queue.Add("a");

        Assert.Equal(2, queue.Count);
        Assert.Equal("a", await queue.GetAsync(CancellationToken.None));
        Assert.Equal("b", await queue.GetAsync(CancellationToken.None));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task An_item_added_while_being_processed_comes_back_only_after_done()
    {
        using var queue = new RateLimitingQueue<string>();
        queue.Add("a");
        var item = await queue.GetAsync(CancellationToken.None);

        queue.Add("a");
        Assert.Equal(0, queue.Count); // not handed to a second worker while the first holds it

        queue.Done(item);
        Assert.Equal(1, queue.Count);
        using var timeout = new CancellationTokenSource(Wait);
        Assert.Equal("a", await queue.GetAsync(timeout.Token));
    }

    [Fact]
    public async Task Rate_limited_items_return_and_failures_are_counted_until_forgotten()
    {
        using var queue = new RateLimitingQueue<string>(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(20));
        queue.AddRateLimited("a");
        queue.AddRateLimited("a");
        Assert.Equal(2, queue.NumRequeues("a"));

        using var timeout = new CancellationTokenSource(Wait);
        Assert.Equal("a", await queue.GetAsync(timeout.Token));
        queue.Forget("a");
        Assert.Equal(0, queue.NumRequeues("a"));
    }

    [Fact]
    public async Task Delayed_adds_of_one_item_collapse_into_one_delivery()
    {
        using var queue = new RateLimitingQueue<string>();
        queue.AddAfter("a", TimeSpan.FromMilliseconds(50));
        queue.AddAfter("a", TimeSpan.FromMilliseconds(10));
        queue.AddAfter("a", TimeSpan.FromMilliseconds(80));

        using var timeout = new CancellationTokenSource(Wait);
        var item = await queue.GetAsync(timeout.Token);
        queue.Done(item);
        await Task.Delay(200);

        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Shutdown_releases_waiting_workers()
    {
        using var queue = new RateLimitingQueue<string>();
        var waiting = queue.GetAsync(CancellationToken.None).AsTask();

        queue.ShutDown();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
