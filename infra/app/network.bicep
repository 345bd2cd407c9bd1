// Virtual network for the vnetEnabled option: the app's outbound traffic leaves through the app subnet, reaches
// storage, Service Bus and Key Vault over private endpoints, and the customer's data centre over the VPN
// gateway (GatewaySubnet, only when a gateway prefix is given). Prefixes must not overlap the customer's ranges.
param name string
param location string
param tags object
param addressPrefix string
param appSubnetPrefix string
param privateEndpointSubnetPrefix string
@description('Empty: no GatewaySubnet.')
param gatewaySubnetPrefix string = ''

var appSubnet = {
  name: 'app'
  properties: {
    addressPrefix: appSubnetPrefix
    // Flex Consumption integrates through Container Apps environments.
    delegations: [
      {
        name: 'flex-consumption'
        properties: { serviceName: 'Microsoft.App/environments' }
      }
    ]
  }
}

var privateEndpointSubnet = {
  name: 'private-endpoints'
  properties: {
    addressPrefix: privateEndpointSubnetPrefix
    privateEndpointNetworkPolicies: 'Disabled'
  }
}

// Azure requires this exact name for a VPN gateway's subnet.
var gatewaySubnet = {
  name: 'GatewaySubnet'
  properties: { addressPrefix: gatewaySubnetPrefix }
}

resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: [addressPrefix] }
    subnets: empty(gatewaySubnetPrefix) ? [appSubnet, privateEndpointSubnet] : [appSubnet, privateEndpointSubnet, gatewaySubnet]
  }
}

output id string = vnet.id
output name string = vnet.name
output appSubnetId string = '${vnet.id}/subnets/${appSubnet.name}'
output privateEndpointSubnetId string = '${vnet.id}/subnets/${privateEndpointSubnet.name}'
output gatewaySubnetId string = empty(gatewaySubnetPrefix) ? '' : '${vnet.id}/subnets/GatewaySubnet'
