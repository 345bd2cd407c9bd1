// The app's one identity: the Functions host (storage, Service Bus triggers, Key Vault references, Application
// Insights) and the handler's own Azure.Identity calls (AZURE_CLIENT_ID) all use it. Roles: rbac.bicep.
param name string
param location string
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
