namespace Forecaster.Core.Tests;

public class SmokeTests
{
    [Fact]
    public void Builds() => Assert.True(true);
}
