using Forecaster.Worker.Hosting;

namespace Forecaster.Worker.Tests.Hosting;

public class WorkerHealthTests
{
    [Fact]
    public void Unreachable_brokers_make_the_worker_unready_but_not_dead()
    {
        var health = new WorkerHealth(TimeProvider.System);
        health.SetAssigned(2);
        health.Beat();
        Assert.True(health.IsReady);

        health.SetBrokerUp(false);

        Assert.False(health.IsReady);
        Assert.True(health.IsLive(TimeSpan.FromMinutes(1)));
        health.SetBrokerUp(true);
        Assert.True(health.IsReady);
    }
}
