namespace Forecaster.Worker.Tests;

public class SmokeTests
{
    [Fact]
    public void Builds() => Assert.True(true);
}
