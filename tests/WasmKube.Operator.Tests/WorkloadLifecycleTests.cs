using WasmKube.Contracts;
using WasmKube.Kube.Client;
using WasmKube.Kube.Models;
using WasmKube.Operator.Controllers;
using WasmKube.Operator.Entities;

namespace WasmKube.Operator.Tests;

public sealed class WorkloadLifecycleTests : IAsyncLifetime
{
    private ClusterUnderTest _cluster = null!;
    private RunningOperator _operator = null!;

    public async Task InitializeAsync()
    {
        _cluster = await ClusterUnderTest.StartAsync();
        // No periodic recheck within a test's time: every change here must reach the operator as a watch event.
        _operator = await _cluster.StartOperatorAsync(recheckInterval: TimeSpan.FromHours(1));
    }

    public async Task DisposeAsync()
    {
        await _operator.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    private string Ns => _cluster.Namespace;

    [TestServerFact]
    public async Task A_secret_reference_is_left_to_the_kubelet_and_no_secret_is_read()
    {
        var server = _cluster.Server!;
        var workload = _cluster.Workload("secretive", 1);
        workload.Spec.Env = [new V1EnvVar { Name = "TOKEN", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "absent", Key = "token" } } }];

        await _cluster.Client.CreateAsync(workload);

        await Eventually.WaitAsync(async () => await _cluster.Client.GetAsync<V1Deployment>(Ns, "secretive") is not null, "Deployment secretive exists");
        Assert.Equal(0, server.Requests.Count(r => r.Resource == "secrets"));
    }

    [Fact]
    public async Task A_workload_becomes_a_wasm_deployment_and_a_service_owned_by_it()
    {
        var workload = await _cluster.Client.CreateAsync(_cluster.Workload("hello", 2, new WasmWorkloadPort { Name = "http", ContainerPort = 8080, ServicePort = 80 }));

        await Eventually.WaitAsync(async () => await _cluster.Client.GetAsync<V1Service>(Ns, "hello") is not null, "Service hello exists");
        var deployment = (await _cluster.Client.GetAsync<V1Deployment>(Ns, "hello"))!;
        var service = (await _cluster.Client.GetAsync<V1Service>(Ns, "hello"))!;

        var pod = deployment.Spec!.Template.Spec!;
        Assert.Equal("wasmkube", pod.RuntimeClassName);
        var container = Assert.Single(pod.Containers);
        Assert.Equal(ClusterUnderTest.Image, container.Image);
        Assert.Equal(["--greeting", "hi"], container.Args!);
        Assert.Equal("hello", Assert.Single(container.Env!).Value);
        Assert.Equal(8080, Assert.Single(container.Ports!).ContainerPort);
        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.Equal(workload.Metadata.Name, deployment.Spec.Template.Metadata!.Annotations![PodAnnotations.Workload]);
        Assert.Equal("8080", deployment.Spec.Template.Metadata.Annotations[PodAnnotations.Listen]);
        Assert.Equal("hello", deployment.Spec.Template.Metadata.Labels![WorkloadLabels.Instance]);
        Assert.Equal("wasmkube-operator", deployment.Metadata.Labels![WorkloadLabels.ManagedBy]);

        var port = Assert.Single(service.Spec!.Ports!);
        Assert.Equal(80, port.Port);
        Assert.Equal("http", port.TargetPort!.StringValue);
        Assert.Equal(deployment.Spec.Selector.MatchLabels, service.Spec.Selector);

        foreach (var child in new IKubernetesObject[] { deployment, service })
        {
            var owner = Assert.Single(child.Metadata.OwnerReferences!);
            Assert.Equal(workload.Metadata.Uid, owner.Uid);
            Assert.True(owner.Controller);
        }
    }

    [Fact]
    public async Task Status_follows_the_deployment_until_ready()
    {
        await _cluster.Client.CreateAsync(_cluster.Workload("status", 3));
        await _cluster.WaitForConditionAsync("status", ConditionTypes.Ready, "False", "ReplicasNotReady");
        var pending = await _cluster.GetWorkloadAsync("status");
        Assert.Equal("True", ClusterUnderTest.Condition(pending, ConditionTypes.Progressing)!.Status);

        await _cluster.MakeDeploymentReadyAsync("status");
        await _cluster.WaitForConditionAsync("status", ConditionTypes.Ready, "True", "AllReplicasReady");

        var ready = (await _cluster.GetWorkloadAsync("status"))!;
        Assert.Equal(3, ready.Status!.ReadyReplicas);
        Assert.Equal(ready.Metadata.Generation, ready.Status.ObservedGeneration);
        Assert.Equal("app.kubernetes.io/instance=status,app.kubernetes.io/managed-by=wasmkube-operator", ready.Status.Selector);
        Assert.Equal("False", ClusterUnderTest.Condition(ready, ConditionTypes.Degraded)!.Status);
        Assert.Equal("False", ClusterUnderTest.Condition(ready, ConditionTypes.Progressing)!.Status);
    }

    [TestServerFact]
    public async Task A_reconcile_with_nothing_to_do_makes_no_writes()
    {
        var server = _cluster.Server!;
        await _cluster.Client.CreateAsync(_cluster.Workload("idle", 1, new WasmWorkloadPort { ContainerPort = 8080 }));
        await _cluster.MakeDeploymentReadyAsync("idle");
        await _cluster.WaitForConditionAsync("idle", ConditionTypes.Ready, "True");
        await Quiesce();

        // An annotation change is an update event for the workload that changes nothing the operator owns.
        var before = _operator.Reconciles;
        await _cluster.Client.PatchAsync<V1alpha1WasmWorkload>(Ns, "idle",
            new KubernetesPatch(PatchType.Merge, """{"metadata":{"annotations":{"note":"touched"}}}"""));
        server.Requests.Clear();
        await Eventually.WaitAsync(() => _operator.Reconciles > before, "the operator reconciles the touched workload");
        await Quiesce();

        Assert.Equal(0, server.Requests.Writes);
    }

    [Fact]
    public async Task Spec_changes_roll_out_and_removed_ports_remove_the_service()
    {
        await _cluster.Client.CreateAsync(_cluster.Workload("change", 1, new WasmWorkloadPort { ContainerPort = 8080 }));
        await Eventually.WaitAsync(async () => await _cluster.Client.GetAsync<V1Service>(Ns, "change") is not null, "Service exists");

        // A merge patch, not a read-modify-write: the operator writes status meanwhile, which would make a PUT conflict.
        var image = ClusterUnderTest.Image + "-v2";
        var updated = await _cluster.Client.PatchAsync<V1alpha1WasmWorkload>(Ns, "change", new KubernetesPatch(PatchType.Merge,
            """{"spec":{"image":""" + $"\"{image}\"" + ""","ports":null,"resources":{"limits":{"memory":"64Mi"}},"wasm":{"fuel":1000000,"maxMemory":"32Mi"}}}"""));

        await Eventually.WaitAsync(async () => (await _cluster.Client.GetAsync<V1Deployment>(Ns, "change"))?.Spec?.Template.Spec?.Containers[0].Image == image,
            "the Deployment runs the new image");
        await Eventually.WaitAsync(async () => await _cluster.Client.GetAsync<V1Service>(Ns, "change") is null, "the Service is removed");
        var deployment = (await _cluster.Client.GetAsync<V1Deployment>(Ns, "change"))!;
        Assert.Equal(new ResourceQuantity("64Mi"), deployment.Spec!.Template.Spec!.Containers[0].Resources!.Limits!["memory"]);
        Assert.Equal("1000000", deployment.Spec.Template.Metadata!.Annotations![PodAnnotations.Fuel]);
        await Eventually.WaitAsync(async () => (await _cluster.GetWorkloadAsync("change"))?.Status?.ObservedGeneration == updated.Metadata.Generation,
            "status observes the new generation");
    }

    [GarbageCollectorFact]
    public async Task Deleting_the_workload_deletes_its_children()
    {
        await _cluster.Client.CreateAsync(_cluster.Workload("doomed", 1, new WasmWorkloadPort { ContainerPort = 8080 }));
        await Eventually.WaitAsync(async () => await _cluster.Client.GetAsync<V1Service>(Ns, "doomed") is not null, "Service exists");

        await _cluster.Client.DeleteAsync<V1alpha1WasmWorkload>(Ns, "doomed");

        await Eventually.WaitAsync(async () => await _cluster.Client.GetAsync<V1Deployment>(Ns, "doomed") is null
            && await _cluster.Client.GetAsync<V1Service>(Ns, "doomed") is null, "children are garbage collected");
    }

    [Fact]
    public async Task A_missing_config_map_degrades_the_workload_until_it_appears_which_reconciles_at_once()
    {
        var workload = _cluster.Workload("needs-config");
        workload.Spec.Env = [new V1EnvVar
        {
            Name = "GREETING",
            ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "greetings", Key = "text" } },
        }];
        await _cluster.Client.CreateAsync(workload);

        await _cluster.WaitForConditionAsync("needs-config", ConditionTypes.Degraded, "True", "ConfigMapNotFound");
        var degraded = await _cluster.GetWorkloadAsync("needs-config");
        Assert.Contains("greetings", ClusterUnderTest.Condition(degraded, ConditionTypes.Degraded)!.Message, StringComparison.Ordinal);
        Assert.Null(await _cluster.Client.GetAsync<V1Deployment>(Ns, "needs-config"));

        await _cluster.Client.CreateAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "greetings", Namespace = Ns },
            Data = new Dictionary<string, string> { ["text"] = "hi" },
        });

        await _cluster.WaitForConditionAsync("needs-config", ConditionTypes.Degraded, "False");
        Assert.NotNull(await _cluster.Client.GetAsync<V1Deployment>(Ns, "needs-config"));
    }

    [Fact]
    public async Task A_max_memory_above_the_memory_limit_is_refused_naming_both_until_it_fits()
    {
        var workload = _cluster.Workload("too-big");
        workload.Spec.Wasm = new WasmEngineSpec { MaxMemory = new ResourceQuantity("128Mi") };
        workload.Spec.Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("64Mi") } };
        await _cluster.Client.CreateAsync(workload);

        await _cluster.WaitForConditionAsync("too-big", ConditionTypes.Degraded, "True", "MaxMemoryExceedsMemoryLimit");
        var degraded = await _cluster.GetWorkloadAsync("too-big");
        var message = ClusterUnderTest.Condition(degraded, ConditionTypes.Degraded)!.Message;
        Assert.Contains("spec.wasm.maxMemory 128Mi", message, StringComparison.Ordinal);
        Assert.Contains("resources.limits.memory 64Mi", message, StringComparison.Ordinal);
        Assert.Equal("False", ClusterUnderTest.Condition(degraded, ConditionTypes.Ready)!.Status);
        Assert.Null(await _cluster.Client.GetAsync<V1Deployment>(Ns, "too-big"));
        await Eventually.WaitAsync(async () => (await _cluster.Client.ListAsync<Corev1Event>(Ns)).Items
            .Any(e => e.InvolvedObject.Name == "too-big" && e.Type == "Warning" && e.Reason == "MaxMemoryExceedsMemoryLimit"), "a Warning event names the problem");

        degraded!.Spec.Wasm = new WasmEngineSpec { MaxMemory = new ResourceQuantity("48Mi") };
        await _cluster.Client.ReplaceAsync(degraded);

        await _cluster.WaitForConditionAsync("too-big", ConditionTypes.Degraded, "False");
        var deployment = await _cluster.Client.GetAsync<V1Deployment>(Ns, "too-big");
        Assert.Equal("48Mi", deployment!.Spec!.Template.Metadata!.Annotations![PodAnnotations.MaxMemory]);
    }

    [Fact]
    public async Task The_schema_rejects_negative_replicas_with_a_field_error()
    {
        var error = await Assert.ThrowsAsync<KubernetesApiException>(() => _cluster.Client.CreateAsync(_cluster.Workload("negative", -1)));

        Assert.True(error.IsInvalid);
        Assert.Contains("spec.replicas", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kubectl_scale_goes_through_the_scale_subresource()
    {
        var kubectl = Kubectl.Find();
        if (kubectl is null)
        {
            return; // kubectl is part of the build image; without it this path cannot be exercised.
        }
        await _cluster.Client.CreateAsync(_cluster.Workload("scaled", 1));
        await Eventually.WaitAsync(async () => await _cluster.Client.GetAsync<V1Deployment>(Ns, "scaled") is not null, "Deployment exists");

        var output = await Kubectl.RunAsync(kubectl, _cluster.KubeconfigPath, "-n", Ns, "scale", "wasmworkload/scaled", "--replicas=4");

        Assert.Contains("scaled", output, StringComparison.Ordinal);
        await Eventually.WaitAsync(async () => (await _cluster.Client.GetAsync<V1Deployment>(Ns, "scaled"))?.Spec?.Replicas == 4, "the Deployment follows the scale");
    }

    [Fact]
    public async Task A_rollout_restart_stamp_survives_the_next_spec_update()
    {
        await _cluster.Client.CreateAsync(_cluster.Workload("restarted"));
        await Eventually.WaitAsync(async () => await _cluster.Client.GetAsync<V1Deployment>(Ns, "restarted") is not null, "Deployment exists");
        await _cluster.Client.PatchAsync<V1Deployment>(Ns, "restarted", new KubernetesPatch(PatchType.Merge,
            """{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2030-01-01T00:00:00Z"}}}}}"""));

        await _cluster.Client.PatchAsync<V1alpha1WasmWorkload>(Ns, "restarted", new KubernetesPatch(PatchType.Merge, """{"spec":{"args":["--changed"]}}"""));

        await Eventually.WaitAsync(async () => (await _cluster.Client.GetAsync<V1Deployment>(Ns, "restarted"))?.Spec?.Template.Spec?.Containers[0].Args?.SequenceEqual(["--changed"]) == true,
            "the Deployment gets the new args");
        var deployment = (await _cluster.Client.GetAsync<V1Deployment>(Ns, "restarted"))!;
        Assert.Equal("2030-01-01T00:00:00Z", deployment.Spec!.Template.Metadata!.Annotations!["kubectl.kubernetes.io/restartedAt"]);
    }

    private async Task Quiesce()
    {
        // Settled = no reconcile for a while; counts progress, not elapsed time, so it adapts to a slow machine.
        var last = -1.0;
        while (_operator.Reconciles != last)
        {
            last = _operator.Reconciles;
            await Task.Delay(500);
        }
    }
}
