using System.Runtime.CompilerServices;

namespace FunctionsIvr.Tests.Testing;

internal static class TestHostThreadPool
{
    // The test host keeps two pool threads blocked for the whole run (vstest's socket message loop polls
    // synchronously, xunit's runner waits on a handle) without telling the pool. On a 2-core machine that is the
    // pool's whole minimum, so a burst of work, such as the fault drills' parallel calls after a storage restore,
    // waits for the pool's starvation injection (about half a second per thread). The handler's own process holds
    // no such threads; giving the two back keeps the drills measuring the handler, not the test host.
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "Sets test-host-wide pool limits before any test runs.")]
    internal static void ReturnTheThreadsTheTestHostHolds()
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(workers + 2, completionPorts);
    }
}
