using WasmKube.Contracts;
using WasmKube.Shim.Tasks;

namespace WasmKube.Shim.Tests;

public sealed class ContainerRecordStoreTests : IDisposable
{
    private static readonly DateTime Now = new(2026, 11, 21, 17, 0, 0, DateTimeKind.Utc);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "wkr-" + Guid.NewGuid().ToString("N")[..10]);
    private readonly ContainerRecordStore _store;

    public ContainerRecordStoreTests() => _store = new ContainerRecordStore(_dir);

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static ContainerRecord Record(string id, int? exitStatus) => new()
    {
        Id = id, Namespace = "k8s.io", Kind = "wasm", Bundle = "/b", Status = exitStatus is null ? "running" : "stopped", Pid = 4242,
        CgroupPath = "/k8s.io/" + id, ExitStatus = exitStatus,
    };

    [Fact]
    public void A_deleted_task_that_exited_keeps_its_record_and_engine_statistics_as_deleted_without_a_pid()
    {
        _store.Write(Record("a", 124));
        File.WriteAllText(_store.Layout.EngineStatsPath("k8s.io", "a"), """{"exitReason":"timeout"}""");

        _store.Retire("k8s.io", "a", Now);

        var retired = _store.Read("k8s.io", "a");
        Assert.Equal(ContainerRecord.Deleted, retired!.Status);
        Assert.Equal(124, retired.ExitStatus);
        Assert.Equal(0, retired.Pid);
        Assert.Equal(Now, retired.DeletedAt);
        Assert.True(File.Exists(_store.Layout.EngineStatsPath("k8s.io", "a")));
    }

    [Fact]
    public void A_retired_record_stays_as_it_is_when_the_delete_action_comes_after_the_delete()
    {
        _store.Write(Record("a", 0));
        _store.Retire("k8s.io", "a", Now);

        _store.Retire("k8s.io", "a", Now + TimeSpan.FromSeconds(1));

        Assert.Equal(Now, _store.Read("k8s.io", "a")!.DeletedAt);
    }

    [Fact]
    public void Retiring_a_container_that_never_had_a_record_leaves_nothing_behind()
    {
        _store.Retire("k8s.io", "never-created", Now);

        Assert.Null(_store.Read("k8s.io", "never-created"));
        Assert.False(Directory.Exists(Path.Combine(_dir, "k8s.io")));
    }

    [Fact]
    public void A_deleted_task_that_never_exited_loses_its_record()
    {
        _store.Write(Record("a", null));
        File.WriteAllText(_store.Layout.EngineStatsPath("k8s.io", "a"), "{}");

        _store.Retire("k8s.io", "a", Now);

        Assert.Null(_store.Read("k8s.io", "a"));
        Assert.False(File.Exists(_store.Layout.EngineStatsPath("k8s.io", "a")));
    }

    [Fact]
    public void Retired_records_past_their_retention_go_at_the_next_delete_and_others_stay()
    {
        _store.Write(Record("old", 0));
        _store.Retire("k8s.io", "old", Now - ContainerRecordStore.RetiredRetention - TimeSpan.FromMinutes(1));
        File.SetLastWriteTimeUtc(_store.Layout.RecordPath("k8s.io", "old"), Now - ContainerRecordStore.RetiredRetention - TimeSpan.FromMinutes(1));
        File.WriteAllText(_store.Layout.EngineStatsPath("k8s.io", "old"), "{}");
        _store.Write(Record("recent", 0));
        _store.Retire("k8s.io", "recent", Now - TimeSpan.FromMinutes(1));
        _store.Write(Record("running", null));
        File.SetLastWriteTimeUtc(_store.Layout.RecordPath("k8s.io", "running"), Now - TimeSpan.FromHours(1));
        _store.Write(Record("new", 0));

        _store.Retire("k8s.io", "new", Now);

        Assert.Null(_store.Read("k8s.io", "old"));
        Assert.False(File.Exists(_store.Layout.EngineStatsPath("k8s.io", "old")));
        Assert.Equal(ContainerRecord.Deleted, _store.Read("k8s.io", "recent")!.Status);
        Assert.Equal("running", _store.Read("k8s.io", "running")!.Status);
        Assert.Equal(ContainerRecord.Deleted, _store.Read("k8s.io", "new")!.Status);
    }
}
