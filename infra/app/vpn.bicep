// Site-to-site IPsec VPN to the customer's data centre, for an ERP middleware that is not on the internet.
// The app's outbound traffic enters the virtual network through VNet integration and reaches the customer's
// ranges through this gateway. Creating a gateway takes 30-45 minutes.
param location string
param tags object
param gatewayName string
param publicIpName string
param localGatewayName string
param connectionName string
param gatewaySubnetId string
param sku string

@description('Public IP address of the customer\'s VPN device.')
param onPremGatewayIpAddress string
@description('Address ranges behind the customer\'s VPN device.')
@minLength(1)
param onPremAddressPrefixes array
@secure()
@minLength(16)
param sharedKey string

var zoneRedundant = endsWith(sku, 'AZ')

resource publicIp 'Microsoft.Network/publicIPAddresses@2023-11-01' = {
  name: publicIpName
  location: location
  tags: tags
  sku: { name: 'Standard', tier: 'Regional' }
  zones: zoneRedundant ? ['1', '2', '3'] : []
  properties: {
    publicIPAllocationMethod: 'Static'
    publicIPAddressVersion: 'IPv4'
  }
}

resource gateway 'Microsoft.Network/virtualNetworkGateways@2023-11-01' = {
  name: gatewayName
  location: location
  tags: tags
  properties: {
    gatewayType: 'Vpn'
    vpnType: 'RouteBased'
    vpnGatewayGeneration: 'Generation1'
    sku: { name: sku, tier: sku }
    enableBgp: false
    activeActive: false
    ipConfigurations: [
      {
        name: 'default'
        properties: {
          privateIPAllocationMethod: 'Dynamic'
          subnet: { id: gatewaySubnetId }
          publicIPAddress: { id: publicIp.id }
        }
      }
    ]
  }
}

resource localGateway 'Microsoft.Network/localNetworkGateways@2023-11-01' = {
  name: localGatewayName
  location: location
  tags: tags
  properties: {
    gatewayIpAddress: onPremGatewayIpAddress
    localNetworkAddressSpace: { addressPrefixes: onPremAddressPrefixes }
  }
}

resource connection 'Microsoft.Network/connections@2023-11-01' = {
  name: connectionName
  location: location
  tags: tags
  properties: {
    connectionType: 'IPsec'
    connectionProtocol: 'IKEv2'
    virtualNetworkGateway1: {
      id: gateway.id
      properties: {}
    }
    localNetworkGateway2: {
      id: localGateway.id
      properties: {}
    }
    sharedKey: sharedKey
    enableBgp: false
  }
}

output publicIpAddress string = publicIp.properties.ipAddress
output gatewayId string = gateway.id
