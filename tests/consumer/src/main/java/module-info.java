/** A user's application on the module path: it reads Baton's exported API only. */
module example.consumer
{
    requires dev.baton;
}
