using WasmKube.Kube.Controllers;

namespace WasmKube.Kube.Hosting;

/// <summary>A controller to build once the service provider exists.</summary>
public sealed record ControllerRegistration(string Name, Func<IServiceProvider, IController> Create);
