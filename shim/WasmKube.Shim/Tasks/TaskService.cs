using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using WasmKube.Cgroups;
using WasmKube.Shim.Cgroups;
using WasmKube.Shim.Oci;
using WasmKube.Shim.Protocol.Events;
using WasmKube.Shim.Protocol.Task;
using WasmKube.Shim.Protocol.Ttrpc;
using WasmKube.Shim.Rootfs;
using WasmKube.Shim.Runc;
using WasmKube.Shim.Ttrpc;
using TaskStatus = WasmKube.Shim.Protocol.Task.Status;

namespace WasmKube.Shim.Tasks;

/// <summary>
/// containerd.task.v2.Task: the task lifecycle as containerd 1.6 and its CRI plugin drive it
/// (runtime/v2/task/shim.proto; semantics of the runc shim, runtime/v2/runc/v2/service.go).
/// </summary>
internal sealed class TaskService(ShimContext context)
{
    public const string ServiceName = "containerd.task.v2.Task";

    private readonly ConcurrentDictionary<string, Container> _containers = new();
    private readonly WasmContainerLauncher _wasm = new(context);
    private readonly NativeContainerLauncher _native = new(context.Runc);
    private readonly SemaphoreSlim _createLock = new(1, 1);
    private readonly TaskCompletionSource _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when containerd asked to shut down and no task is left.</summary>
    public Task ShutdownRequested => _shutdown.Task;

    public int TaskCount => _containers.Count;

    public Task<IMessage> HandleAsync(Request request, CancellationToken cancellationToken)
    {
        if (request.Service != ServiceName)
        {
            throw new TtrpcException(StatusCode.Unimplemented, $"service {request.Service} is not served by this shim");
        }

        var payload = request.Payload;
        return request.Method switch
        {
            "State" => Wrap(State(StateRequest.Parser.ParseFrom(payload))),
            "Create" => Upcast(CreateAsync(CreateTaskRequest.Parser.ParseFrom(payload), cancellationToken)),
            "Start" => Upcast(StartAsync(StartRequest.Parser.ParseFrom(payload), cancellationToken)),
            "Delete" => Upcast(DeleteAsync(DeleteRequest.Parser.ParseFrom(payload), cancellationToken)),
            "Pids" => Wrap(Pids(PidsRequest.Parser.ParseFrom(payload))),
            "Kill" => Wrap(Kill(KillRequest.Parser.ParseFrom(payload))),
            "Exec" => Upcast(ExecAsync(ExecProcessRequest.Parser.ParseFrom(payload), cancellationToken)),
            "ResizePty" => Wrap(Known(ResizePtyRequest.Parser.ParseFrom(payload).Id)),
            "CloseIO" => Wrap(Known(CloseIORequest.Parser.ParseFrom(payload).Id)),
            "Update" => Wrap(Update(UpdateTaskRequest.Parser.ParseFrom(payload))),
            "Wait" => Upcast(WaitAsync(WaitRequest.Parser.ParseFrom(payload), cancellationToken)),
            "Stats" => Wrap(Stats(StatsRequest.Parser.ParseFrom(payload))),
            "Connect" => Wrap(Connect(ConnectRequest.Parser.ParseFrom(payload))),
            "Shutdown" => Wrap(Shutdown()),
            "Pause" or "Resume" or "Checkpoint" =>
                throw new TtrpcException(StatusCode.Unimplemented, $"{request.Method} is not supported by the wasmkube shim"),
            _ => throw new TtrpcException(StatusCode.Unimplemented, $"method {request.Method} is unknown"),
        };
    }

    private static Task<IMessage> Wrap(IMessage message) => Task.FromResult(message);

    private static async Task<IMessage> Upcast<T>(Task<T> task)
        where T : IMessage => await task;

    private Container Get(string id) =>
        _containers.TryGetValue(id, out var container) ? container : throw TtrpcException.NotFound($"task {id}");

    private Empty Known(string id)
    {
        Get(id);
        return new Empty();
    }

    private async Task<CreateTaskResponse> CreateAsync(CreateTaskRequest request, CancellationToken cancellationToken)
    {
        if (request.Terminal)
        {
            throw new TtrpcException(StatusCode.FailedPrecondition, "the wasmkube shim does not allocate terminals; run without -t/--tty");
        }

        if (!string.IsNullOrEmpty(request.Checkpoint))
        {
            throw new TtrpcException(StatusCode.Unimplemented, "restoring from a checkpoint is not supported");
        }

        await _createLock.WaitAsync(cancellationToken);
        try
        {
            if (_containers.ContainsKey(request.Id))
            {
                throw new TtrpcException(StatusCode.AlreadyExists, $"task {request.Id} already exists");
            }

            var container = await BuildAsync(request, cancellationToken);
            _containers[request.Id] = container;
            WriteRecord(container);
            context.Events.Publish("/tasks/create", "containerd.events.TaskCreate", new TaskCreate
            {
                ContainerId = request.Id,
                Bundle = request.Bundle,
                Rootfs = { request.Rootfs },
                Io = new TaskIO { Stdin = request.Stdin, Stdout = request.Stdout, Stderr = request.Stderr, Terminal = request.Terminal },
                Pid = (uint)container.Init.Pid,
            });
            return new CreateTaskResponse { Pid = (uint)container.Init.Pid };
        }
        finally
        {
            _createLock.Release();
        }
    }

    private async Task<Container> BuildAsync(CreateTaskRequest request, CancellationToken cancellationToken)
    {
        OciSpec spec;
        try
        {
            spec = OciSpec.Load(request.Bundle);
        }
        catch (InvalidDataException e)
        {
            throw new TtrpcException(StatusCode.InvalidArgument, e.Message);
        }

        var rootfs = Path.IsPathRooted(spec.RootPath) ? spec.RootPath : Path.Combine(request.Bundle, spec.RootPath);
        var mounted = request.Rootfs.Count > 0;
        if (mounted)
        {
            RootfsMounter.Mount(request.Rootfs, rootfs);
        }

        var cgroup = new ContainerCgroup(context.Cgroups, CgroupHierarchy.RelativePath(spec.CgroupsPath, context.Namespace, request.Id));
        var stdio = new Stdio(request.Stdin, request.Stdout, request.Stderr, request.Terminal);
        var entrypoint = Entrypoint.Resolve(rootfs, spec.Process);
        IContainerLauncher launcher = entrypoint.IsNative ? _native : _wasm;
        try
        {
            var init = launcher.CreateInit(request.Id, request.Bundle, spec, rootfs, entrypoint, cgroup, stdio);
            var container = new Container
            {
                Id = request.Id,
                Bundle = request.Bundle,
                Spec = spec,
                Rootfs = rootfs,
                RootfsMounted = mounted,
                Entrypoint = entrypoint,
                Cgroup = cgroup,
                Launcher = launcher,
                Init = init,
                OomKillBaseline = cgroup.OomKills(),
            };
            init.OnExit += process => OnProcessExit(container, process);
            try
            {
                await init.CreateAsync(cancellationToken);
            }
            catch (RuncException e)
            {
                throw new TtrpcException(StatusCode.Unknown, e.Message);
            }

            return container;
        }
        catch
        {
            launcher.Release(cgroup);
            if (mounted)
            {
                RootfsMounter.Unmount(rootfs);
            }

            throw;
        }
    }

    private void OnProcessExit(Container container, ShimProcess process)
    {
        var oomKills = container.Cgroup.OomKills();
        if (oomKills > container.OomKillBaseline)
        {
            container.OomKillBaseline = oomKills;
            context.Events.Publish("/tasks/oom", "containerd.events.TaskOOM", new TaskOOM { ContainerId = container.Id });
        }

        if (process.ExecId.Length == 0)
        {
            // The record shows the exit before containerd hears of it: CRI deletes the task at once, and the deleted
            // task's record keeps only an exit it already holds.
            WriteRecord(container);
        }

        context.Events.Publish("/tasks/exit", "containerd.events.TaskExit", new TaskExit
        {
            ContainerId = container.Id,
            Id = process.ExecId.Length == 0 ? container.Id : process.ExecId,
            Pid = (uint)process.Pid,
            ExitStatus = (uint)process.ExitStatus,
            ExitedAt = Timestamp.FromDateTime(process.ExitedAt),
        });
        if (process.ExecId.Length == 0)
        {
            container.Launcher.InitExited(container);
        }
    }

    private async Task<StartResponse> StartAsync(StartRequest request, CancellationToken cancellationToken)
    {
        var container = Get(request.Id);
        var process = container.Process(request.ExecId);
        try
        {
            await process.StartAsync(cancellationToken);
        }
        catch (RuncException e)
        {
            throw new TtrpcException(StatusCode.Unknown, e.Message);
        }

        if (request.ExecId.Length == 0)
        {
            context.Events.Publish("/tasks/start", "containerd.events.TaskStart", new TaskStart { ContainerId = request.Id, Pid = (uint)process.Pid });
            WriteRecord(container);
        }
        else
        {
            context.Events.Publish("/tasks/exec-started", "containerd.events.TaskExecStarted",
                new TaskExecStarted { ContainerId = request.Id, ExecId = request.ExecId, Pid = (uint)process.Pid });
        }

        return new StartResponse { Pid = (uint)process.Pid };
    }

    private StateResponse State(StateRequest request)
    {
        var container = Get(request.Id);
        var process = container.Process(request.ExecId);
        var response = new StateResponse
        {
            Id = request.Id,
            Bundle = container.Bundle,
            Pid = (uint)process.Pid,
            Status = process.State switch
            {
                ProcessState.Created => TaskStatus.Created,
                ProcessState.Running => TaskStatus.Running,
                _ => TaskStatus.Stopped,
            },
            Stdin = process.Stdio.Stdin,
            Stdout = process.Stdio.Stdout,
            Stderr = process.Stdio.Stderr,
            Terminal = process.Stdio.Terminal,
            ExecId = request.ExecId,
        };
        if (process.State == ProcessState.Stopped)
        {
            response.ExitStatus = (uint)process.ExitStatus;
            response.ExitedAt = Timestamp.FromDateTime(process.ExitedAt);
        }

        return response;
    }

    private async Task<WaitResponse> WaitAsync(WaitRequest request, CancellationToken cancellationToken)
    {
        var process = Get(request.Id).Process(request.ExecId);
        await process.Exited.WaitAsync(cancellationToken);
        return new WaitResponse { ExitStatus = (uint)process.ExitStatus, ExitedAt = Timestamp.FromDateTime(process.ExitedAt) };
    }

    private Empty Kill(KillRequest request)
    {
        var container = Get(request.Id);
        try
        {
            container.Process(request.ExecId).Kill((int)request.Signal, request.All);
        }
        catch (RuncException e)
        {
            throw new TtrpcException(StatusCode.Unknown, e.Message);
        }

        return new Empty();
    }

    private async Task<DeleteResponse> DeleteAsync(DeleteRequest request, CancellationToken cancellationToken)
    {
        var container = Get(request.Id);
        var process = container.Process(request.ExecId);
        if (process.State == ProcessState.Running)
        {
            throw new TtrpcException(StatusCode.FailedPrecondition, $"process {process.Describe()} is still running; kill it first");
        }

        if (process.State == ProcessState.Created)
        {
            // Created but never started: nothing of the guest ran yet, so end the waiting process.
            try
            {
                process.Kill(9, all: false);
            }
            catch (TtrpcException)
            {
            }

            if (process.Pid > 0)
            {
                await process.Exited.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            }
        }

        if (request.ExecId.Length > 0)
        {
            container.Execs.TryRemove(request.ExecId, out _);
            await process.CleanupAsync(cancellationToken);
        }
        else
        {
            await process.CleanupAsync(cancellationToken);
            container.Launcher.Release(container.Cgroup);

            if (container.RootfsMounted)
            {
                RootfsMounter.Unmount(container.Rootfs);
            }

            _containers.TryRemove(request.Id, out _);
            context.Records.Retire(context.Namespace, request.Id, DateTime.UtcNow);
            context.Events.Publish("/tasks/delete", "containerd.events.TaskDelete", new TaskDelete
            {
                ContainerId = request.Id,
                Pid = (uint)process.Pid,
                ExitStatus = (uint)process.ExitStatus,
                ExitedAt = Timestamp.FromDateTime(process.ExitedAt),
            });
        }

        return new DeleteResponse
        {
            Pid = (uint)process.Pid,
            ExitStatus = (uint)process.ExitStatus,
            ExitedAt = Timestamp.FromDateTime(process.ExitedAt == default ? DateTime.UtcNow : process.ExitedAt),
        };
    }

    private async Task<Empty> ExecAsync(ExecProcessRequest request, CancellationToken cancellationToken)
    {
        var container = Get(request.Id);
        if (request.Terminal)
        {
            throw new TtrpcException(StatusCode.FailedPrecondition, "the wasmkube shim does not allocate terminals; exec without -t/--tty");
        }

        if (container.Init.State == ProcessState.Stopped)
        {
            throw new TtrpcException(StatusCode.FailedPrecondition, $"task {request.Id} has exited; cannot exec in it");
        }

        var json = request.Spec?.Value.ToStringUtf8() ?? "";
        OciProcess processSpec;
        try
        {
            processSpec = OciProcess.Parse(JsonNode.Parse(json) ?? throw new InvalidDataException("empty"));
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException)
        {
            throw new TtrpcException(StatusCode.InvalidArgument, $"exec {request.ExecId}: the process spec is not valid JSON: {e.Message}");
        }

        var process = container.Launcher.CreateExec(container, request.ExecId, processSpec, json, stdio: new Stdio(request.Stdin, request.Stdout, request.Stderr, false));

        if (!container.Execs.TryAdd(request.ExecId, process))
        {
            throw new TtrpcException(StatusCode.AlreadyExists, $"exec {request.ExecId} of task {request.Id} already exists");
        }

        process.OnExit += p => OnProcessExit(container, p);
        try
        {
            await process.CreateAsync(cancellationToken);
        }
        catch
        {
            container.Execs.TryRemove(request.ExecId, out _);
            throw;
        }

        context.Events.Publish("/tasks/exec-added", "containerd.events.TaskExecAdded", new TaskExecAdded { ContainerId = request.Id, ExecId = request.ExecId });
        return new Empty();
    }

    private PidsResponse Pids(PidsRequest request)
    {
        var container = Get(request.Id);
        var pids = container.Cgroup.Pids();
        if (pids.Count == 0 && container.Init.Pid > 0 && container.Init.State != ProcessState.Stopped)
        {
            pids = [container.Init.Pid];
        }

        var response = new PidsResponse();
        response.Processes.AddRange(pids.Select(pid => new ProcessInfo { Pid = (uint)pid }));
        return response;
    }

    private Empty Update(UpdateTaskRequest request)
    {
        var container = Get(request.Id);
        if (request.Resources is { } resources)
        {
            var node = JsonNode.Parse(resources.Value.ToStringUtf8());
            container.Cgroup.Apply(OciResources.Parse(node));
        }

        return new Empty();
    }

    private StatsResponse Stats(StatsRequest request)
    {
        var container = Get(request.Id);
        if (!container.Cgroup.Directories.Any(Directory.Exists))
        {
            throw TtrpcException.NotFound($"cgroup of task {request.Id}");
        }

        return new StatsResponse { Stats = container.Cgroup.ReadMetrics() };
    }

    private ConnectResponse Connect(ConnectRequest request) => new()
    {
        ShimPid = (uint)Environment.ProcessId,
        TaskPid = _containers.TryGetValue(request.Id, out var container) ? (uint)container.Init.Pid : 0,
        Version = "wasmkube-v1",
    };

    private Empty Shutdown()
    {
        if (_containers.IsEmpty)
        {
            _shutdown.TrySetResult();
        }

        return new Empty();
    }

    private void WriteRecord(Container container)
    {
        if (!_containers.ContainsKey(container.Id))
        {
            // Deleted meanwhile: a late exit must not bring the record back.
            return;
        }

        try
        {
            context.Records.Write(container.Record(context.Namespace));
        }
        catch (IOException e)
        {
            context.Log($"cannot write the state record of {container.Id}: {e.Message}");
        }
    }
}
